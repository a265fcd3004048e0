package io.hexbus.rabbitmq.testing;

import com.rabbitmq.client.ConnectionFactory;
import io.hexbus.api.testing.ChildProcesses;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ node of one test's own, for the tests that stop, restart or cut its connections: never the shared broker
 * other tests use. Started from the installed Debian package ({@code /usr/lib/rabbitmq/bin}) under a fresh node name,
 * on free ports of {@code 127.0.0.1}, with its data, logs, configuration, an empty plugin list and an Erlang cookie of
 * its own (its own {@code HOME}) in a directory under {@code target/}; a new 3.10 node enables every feature flag,
 * quorum queues and streams included. Its output and {@code rabbitmqctl}'s go to a log file the test names.
 *
 * <p>{@link #close} stops the node ({@code rabbitmqctl stop}) and kills what is left of its processes; it fails if one
 * outlived it. Used from the test's thread only. Blocking: each call waits for {@code rabbitmqctl} (at most a minute).
 */
public final class PrivateRabbitNode implements AutoCloseable {

    private static final Path BIN = Path.of("/usr/lib/rabbitmq/bin");
    private static final long CTL_TIMEOUT_SECONDS = 60;
    // rabbitmqctl's own distribution ports (RABBITMQ_CTL_DIST_PORT_MIN..MAX): a node listening there blocks the CLI.
    private static final int CTL_PORTS_FROM = 35672;
    private static final int CTL_PORTS_TO = 35682;

    private final ChildProcesses children = new ChildProcesses();
    private final String node;
    private final int port;
    private final Path dir;
    private final Path log;
    private final Map<String, String> env;
    private Process server;

    private PrivateRabbitNode(String node, int port, Path dir, Path log, Map<String, String> env) {
        this.node = node;
        this.port = port;
        this.dir = dir;
        this.log = log;
        this.env = env;
    }

    /**
     * Starts a node and waits until it accepts connections.
     *
     * @param log where the node's and the CLI's output go
     * @return the running node
     * @throws IOException    if its files cannot be written or a process cannot start
     * @throws AssertionError if it does not start, quoting its log
     */
    public static PrivateRabbitNode start(Path log) throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String node = "hexbus-fault-" + id + "@localhost";
        Path dir = Path.of("target", "rabbit-nodes", id).toAbsolutePath();
        Path home = Files.createDirectories(dir.resolve("home"));
        Path cookie = home.resolve(".erlang.cookie");
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        Files.writeString(cookie, HexFormat.of().formatHex(secret).toUpperCase(), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
        int port = freePort();
        int distPort = freePort();
        Files.writeString(dir.resolve("rabbitmq.conf"), "listeners.tcp.local = 127.0.0.1:" + port + "\n");
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        Map<String, String> env = Map.of(
                "HOME", home.toString(),
                "RABBITMQ_NODENAME", node,
                "RABBITMQ_DIST_PORT", Integer.toString(distPort),
                "RABBITMQ_MNESIA_BASE", Files.createDirectories(dir.resolve("mnesia")).toString(),
                "RABBITMQ_LOG_BASE", Files.createDirectories(dir.resolve("log")).toString(),
                "RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString(),
                "RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString(),
                "RABBITMQ_PID_FILE", dir.resolve("pid").toString());
        PrivateRabbitNode rabbit = new PrivateRabbitNode(node, port, dir, log, env);
        try {
            rabbit.server = rabbit.children.start(rabbit.builder(List.of(BIN.resolve("rabbitmq-server").toString())));
            rabbit.ctl("wait", dir.resolve("pid").toString(), "--timeout", "60000");
            rabbit.ctl("await_startup");
            rabbit.children.recordTree(rabbit.server);
            return rabbit;
        } catch (IOException | RuntimeException | Error e) {
            rabbit.close();
            throw e;
        }
    }

    private static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (port < CTL_PORTS_FROM || port > CTL_PORTS_TO) {
                    return port;
                }
            }
        }
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).directory(dir.toFile());
        builder.environment().putAll(env);
        return builder;
    }

    /** Runs {@code rabbitmqctl -n <node> <args>} and waits for it; fails unless it succeeds. */
    private void ctl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(BIN.resolve("rabbitmqctl").toString(), "-n", node));
        command.addAll(List.of(args));
        Process ctl = children.start(builder(command));
        try {
            if (!ctl.waitFor(CTL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                children.kill(ctl);
                throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " did not finish: see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for rabbitmqctl", e);
        }
        if (ctl.exitValue() != 0) {
            throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " failed (" + ctl.exitValue()
                    + "): " + tail());
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the node's {@code amqp://} URI (guest/guest, from 127.0.0.1) */
    public String url() {
        return "amqp://guest:guest@127.0.0.1:" + port + "/%2F";
    }

    /** @return a connection factory for the node, with the client's automatic recovery as by default */
    public ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port);
        factory.setConnectionTimeout(5_000);
        return factory;
    }

    /**
     * Stops the RabbitMQ application ({@code rabbitmqctl stop_app}): every connection is closed, the Erlang node stays.
     *
     * @throws IOException if rabbitmqctl cannot start
     */
    public void stopApp() throws IOException {
        ctl("stop_app");
    }

    /**
     * Starts the application again ({@code rabbitmqctl start_app}) and waits until it accepts connections.
     *
     * @throws IOException if rabbitmqctl cannot start
     */
    public void startApp() throws IOException {
        ctl("start_app");
        ctl("await_startup");
    }

    /**
     * Closes every client connection from the broker's side ({@code rabbitmqctl close_all_connections}).
     *
     * @param explanation what the clients are told
     * @throws IOException if rabbitmqctl cannot start
     */
    public void closeAllConnections(String explanation) throws IOException {
        ctl("close_all_connections", explanation);
    }

    /**
     * Stops the node ({@code rabbitmqctl stop}), then kills what is left of its processes.
     *
     * @throws AssertionError if a process outlived it
     */
    @Override
    public void close() {
        try {
            if (server != null && server.isAlive()) {
                children.recordTree(server);
                ctl("stop");
            }
        } catch (IOException | AssertionError e) {
            // the node is killed below
        } finally {
            children.close();
        }
    }
}
