package io.hexbus.kafka.testing;

import io.hexbus.api.testing.ChildProcesses;
import io.hexbus.kafka.KafkaSasl;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A private single-node KRaft broker whose client listener asks for a SASL/PLAIN login of one user, for the tests of
 * the connection settings' SASL configuration against a real broker: a {@code SASL_PLAINTEXT} listener for the
 * clients, and a {@code PLAINTEXT} one for the broker itself (and for this fixture to see that it serves). Started
 * from Kafka's jars on the test class path in a child JVM ({@link KafkaNodeMain}), as {@link KafkaCluster} does.
 */
public final class SaslKafkaBroker implements AutoCloseable {

    private final ChildProcesses children = new ChildProcesses(Duration.ofSeconds(20));
    private final Path directory;
    private final int saslPort;
    private Process process;

    private SaslKafkaBroker(Path directory, int saslPort) {
        this.directory = directory;
        this.saslPort = saslPort;
    }

    /**
     * Starts the broker and waits until it serves.
     *
     * @param username the one user of the SASL listener
     * @param password its password, any characters
     * @param log      the file the broker's output is appended to
     * @return the running broker; close it when done
     * @throws IllegalStateException if it does not serve within {@link KafkaCluster#START_TIMEOUT}, naming its log
     */
    public static SaslKafkaBroker start(String username, String password, Path log) {
        SaslKafkaBroker broker;
        int plainPort;
        try {
            List<Integer> ports = KafkaCluster.freePorts(3);
            plainPort = ports.get(0);
            broker = new SaslKafkaBroker(Files.createTempDirectory("hexbus-kafka-sasl-"), ports.get(2));
            broker.writeConfig(plainPort, ports.get(1), username, password);
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a SASL Kafka broker's files", e);
        }
        try {
            broker.launch(log);
            broker.awaitServing("127.0.0.1:" + plainPort, log);
            return broker;
        } catch (RuntimeException | Error e) {
            broker.close();
            throw e;
        }
    }

    /** @return the address of the listener that asks for the SASL/PLAIN login */
    public String saslBootstrapServers() {
        return "127.0.0.1:" + saslPort;
    }

    private void writeConfig(int plainPort, int controllerPort, String username, String password) throws IOException {
        // The broker reads user_<name>="<password>" with the same grammar a client's JAAS configuration has: the
        // client's own quoting of the password serves both.
        String clientJaas = new KafkaSasl(KafkaSasl.Mechanism.PLAIN, username, password).jaasConfig();
        String quotedPassword = clientJaas.substring(clientJaas.indexOf(" password=") + " password=".length(),
                clientJaas.length() - 1);
        Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", "1");
        config.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + plainPort + ",CONTROLLER://127.0.0.1:"
                + controllerPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
        config.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + plainPort + ",SASL_PLAINTEXT://127.0.0.1:"
                + saslPort);
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
        config.setProperty("sasl.enabled.mechanisms", "PLAIN");
        config.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + username + "="
                        + quotedPassword + ";");
        config.setProperty("log.dirs", directory.resolve("data").toString());
        config.setProperty("auto.create.topics.enable", "false");
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("offsets.topic.num.partitions", "1");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("transaction.state.log.num.partitions", "1");
        config.setProperty("share.coordinator.state.topic.replication.factor", "1");
        config.setProperty("share.coordinator.state.topic.min.isr", "1");
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        config.setProperty("num.network.threads", "2");
        config.setProperty("num.io.threads", "2");
        config.setProperty("background.threads", "2");
        config.setProperty("log.cleaner.threads", "1");
        // Properties.store escapes what the file format needs (backslashes among them), so the broker reads back
        // exactly these values.
        try (Writer out = Files.newBufferedWriter(directory.resolve("server.properties"), StandardCharsets.UTF_8)) {
            config.store(out, "a SASL/PLAIN test broker");
        }
    }

    private void launch(Path log) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), KafkaNodeMain.class.getName(),
                directory.resolve("server.properties").toString(), Uuid.randomUuid().toString());
        try {
            process = children.start(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the SASL Kafka broker: " + e.getMessage(), e);
        }
    }

    private void awaitServing(String plainAddress, Path log) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plainAddress,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000))) {
            await().atMost(KafkaCluster.START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsMatching(e -> e instanceof ExecutionException || e instanceof TimeoutException)
                    .until(() -> !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the SASL Kafka broker did not serve within "
                    + KafkaCluster.START_TIMEOUT.toSeconds() + " s; its log: " + log, e);
        }
    }

    /** Kills the broker, waits until it is gone and deletes its data. */
    @Override
    public void close() {
        if (process != null) {
            children.kill(process); // its data goes too: nothing to shut down cleanly for
        }
        children.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Under the system's temporary files: left behind, not a failure of the test.
        }
    }
}
