package io.hexbus.kafka.testing;

import io.hexbus.api.testing.ChildProcesses;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A KRaft cluster of real Kafka nodes on the loopback interface, each a child JVM running {@code kafka.Kafka} (through
 * {@link KafkaNodeMain}) from the test class path, each node both broker and controller, with its data in a
 * temporary directory. Tuned to start fast and to notice a dead node within seconds. With one node, topics (the
 * internal ones too) have one replica; with more, as many as there are nodes up to three, and one fewer must be in
 * sync ({@code min.insync.replicas}): 3 and 2 on a 3-node cluster. Topics are never created on first use.
 *
 * <p>Nodes are numbered from 1. A test may {@link #kill} or {@link #stop} a node and {@link #restart} it on the same
 * ports and data, or {@link #freeze} and {@link #thaw} it. {@link #close} kills every node and deletes the data; the
 * processes are held by a {@link ChildProcesses}, so closing fails if one outlived its parent. Each node's output is
 * appended to its log file. Not thread-safe: used from one test thread (and, for the shared broker, the shutdown hook).
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);

    /** How long a starting node may take until it serves, before the start fails naming its log. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The nodes' JVM options unless told otherwise: a small heap and the C1 compiler alone, so that a test broker
     * starts fast and carries little.
     */
    public static final List<String> TEST_JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    private final String clusterId = Uuid.randomUuid().toString();
    private final Path directory;
    private final List<NodeFiles> nodes;
    private final Process[] processes;
    private final List<String> jvmOptions;
    private final ChildProcesses children = new ChildProcesses(Duration.ofSeconds(20));

    /** One node's ports and files. */
    private record NodeFiles(int id, int brokerPort, int controllerPort, Path config, Path log) {

        String address() {
            return "127.0.0.1:" + brokerPort;
        }
    }

    private KafkaCluster(Path directory, List<NodeFiles> nodes, List<String> jvmOptions) {
        this.directory = directory;
        this.nodes = nodes;
        this.processes = new Process[nodes.size()];
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * Starts a cluster and waits until every node serves as a broker.
     *
     * @param size  how many nodes, 1 or more
     * @param logOf the file each node's output is appended to, by node id
     * @return the running cluster
     * @throws IllegalStateException if a node does not serve within {@link #START_TIMEOUT}, naming its log; the
     *                               nodes already started are stopped
     */
    public static KafkaCluster start(int size, IntFunction<Path> logOf) {
        return start(size, logOf, TEST_JVM_OPTIONS);
    }

    /**
     * Starts a cluster whose nodes run with the given JVM options (a benchmark's broker wants the C2 compiler and a
     * fixed heap, {@link #TEST_JVM_OPTIONS} do not), and waits until every node serves as a broker.
     *
     * @param size       how many nodes, 1 or more
     * @param logOf      the file each node's output is appended to, by node id
     * @param jvmOptions the options of each node's JVM, before its class path
     * @return the running cluster
     * @throws IllegalStateException if a node does not serve within {@link #START_TIMEOUT}, naming its log; the
     *                               nodes already started are stopped
     */
    public static KafkaCluster start(int size, IntFunction<Path> logOf, List<String> jvmOptions) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster has 1 node or more: " + size);
        }
        KafkaCluster cluster;
        try {
            Path directory = Files.createTempDirectory("hexbus-kafka-");
            List<Integer> ports = freePorts(2 * size);
            List<NodeFiles> nodes = new ArrayList<>();
            for (int id = 1; id <= size; id++) {
                nodes.add(new NodeFiles(id, ports.get(2 * id - 2), ports.get(2 * id - 1),
                        directory.resolve("node-" + id + ".properties"), logOf.apply(id)));
            }
            cluster = new KafkaCluster(directory, nodes, jvmOptions);
            cluster.writeConfigs();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a Kafka cluster's files", e);
        }
        try {
            long started = System.nanoTime();
            // All at once: a controller quorum of several waits for a majority of its voters.
            for (NodeFiles node : cluster.nodes) {
                cluster.launch(node);
            }
            for (NodeFiles node : cluster.nodes) {
                cluster.awaitServing(node);
            }
            LOG.info("Kafka: {} node(s) serve at {} after {} ms; their output: {}", size, cluster.bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    cluster.nodes.stream().map(node -> node.log().toString()).collect(Collectors.joining(", ")));
            return cluster;
        } catch (RuntimeException | Error e) {
            try {
                cluster.close();
            } catch (RuntimeException | Error closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** @return every node's broker address, for {@code bootstrap.servers} */
    public String bootstrapServers() {
        return nodes.stream().map(NodeFiles::address).collect(Collectors.joining(","));
    }

    /**
     * @param nodeId a node, from 1
     * @return that node's broker address alone
     */
    public String bootstrapServers(int nodeId) {
        return node(nodeId).address();
    }

    /** @return how many nodes the cluster has, running or not */
    public int size() {
        return nodes.size();
    }

    /**
     * @param nodeId a node, from 1
     * @return whether its JVM runs
     */
    public boolean isRunning(int nodeId) {
        Process process = processes[node(nodeId).id() - 1];
        return process != null && process.isAlive();
    }

    /**
     * @param nodeId a node, from 1
     * @return the file its output goes to
     */
    public Path log(int nodeId) {
        return node(nodeId).log();
    }

    /**
     * Kills a node's JVM (SIGKILL), as a crash or a power cut would, and waits until it is gone.
     *
     * @param nodeId a running node, from 1
     */
    public void kill(int nodeId) {
        children.kill(running(nodeId));
    }

    /**
     * Stops a node (SIGTERM: a controlled shutdown) and waits until it is gone, killing it after 20 s.
     *
     * @param nodeId a running node, from 1
     */
    public void stop(int nodeId) {
        children.stop(running(nodeId));
    }

    /**
     * Freezes a node's JVM (SIGSTOP), as a long pause or a hung host would: its sockets stay open and it answers
     * nothing until {@link #thaw}. {@link #kill} and {@link #close} still end it.
     *
     * @param nodeId a running node, from 1
     */
    public void freeze(int nodeId) {
        signal(running(nodeId), "STOP");
    }

    /**
     * Lets a frozen node's JVM run again (SIGCONT).
     *
     * @param nodeId a running node, from 1
     */
    public void thaw(int nodeId) {
        signal(running(nodeId), "CONT");
    }

    private static void signal(Process process, String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + process.pid(), e);
        }
    }

    /**
     * Starts a stopped or killed node again, on its ports and with its data, and waits until it serves.
     *
     * @param nodeId a node that does not run, from 1
     * @throws IllegalStateException if it does not serve within {@link #START_TIMEOUT}, naming its log
     */
    public void restart(int nodeId) {
        NodeFiles node = node(nodeId);
        if (isRunning(nodeId)) {
            throw new IllegalStateException("node " + nodeId + " runs");
        }
        long started = System.nanoTime();
        launch(node);
        awaitServing(node);
        LOG.info("Kafka: node {} serves again after {} ms", nodeId,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /**
     * Kills every node, waits until they are gone and deletes their data.
     *
     * @throws AssertionError if a node's JVM had outlived its parent or survives SIGKILL ({@link ChildProcesses})
     */
    @Override
    public void close() {
        try {
            for (Process process : processes) {
                if (process != null && process.isAlive()) {
                    children.kill(process); // the data goes too: nothing to shut down cleanly for
                }
            }
            children.close();
        } finally {
            deleteDirectory();
        }
    }

    private NodeFiles node(int nodeId) {
        if (nodeId < 1 || nodeId > nodes.size()) {
            throw new IllegalArgumentException("no node " + nodeId + " in a cluster of " + nodes.size());
        }
        return nodes.get(nodeId - 1);
    }

    private Process running(int nodeId) {
        if (!isRunning(nodeId)) {
            throw new IllegalStateException("node " + nodeId + " does not run");
        }
        return processes[nodeId - 1];
    }

    private void writeConfigs() throws IOException {
        int size = nodes.size();
        int replicas = Math.min(3, size);
        int inSync = Math.max(1, replicas - 1);
        String voters = nodes.stream().map(node -> node.id() + "@127.0.0.1:" + node.controllerPort())
                .collect(Collectors.joining(","));
        for (NodeFiles node : nodes) {
            String config = String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=" + node.id(),
                    // Static voters: formatting needs no --standalone or --initial-controllers, and a restarted
                    // node finds its quorum as it was.
                    "controller.quorum.voters=" + voters,
                    "listeners=PLAINTEXT://127.0.0.1:" + node.brokerPort() + ",CONTROLLER://127.0.0.1:"
                            + node.controllerPort(),
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + node.brokerPort(),
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + directory.resolve("node-" + node.id()),
                    "auto.create.topics.enable=false",
                    "num.partitions=1",
                    "default.replication.factor=" + replicas,
                    "min.insync.replicas=" + inSync,
                    // Small internal topics, created in a blink when the first group or transaction needs them.
                    "offsets.topic.replication.factor=" + replicas,
                    "offsets.topic.num.partitions=3",
                    "transaction.state.log.replication.factor=" + replicas,
                    "transaction.state.log.min.isr=" + inSync,
                    "transaction.state.log.num.partitions=3",
                    "share.coordinator.state.topic.replication.factor=" + replicas,
                    "share.coordinator.state.topic.min.isr=" + inSync,
                    "group.initial.rebalance.delay.ms=0",
                    // A dead node is fenced, and leaves the in-sync replicas, within seconds, not 9 s and 30 s.
                    "broker.heartbeat.interval.ms=500",
                    "broker.session.timeout.ms=3000",
                    "replica.lag.time.max.ms=3000",
                    // Few threads: a test broker serves a handful of clients on a shared machine.
                    "num.network.threads=2",
                    "num.io.threads=2",
                    "num.replica.fetchers=1",
                    "num.recovery.threads.per.data.dir=1",
                    "background.threads=2",
                    "log.cleaner.threads=1",
                    "");
            Files.writeString(node.config(), config, StandardCharsets.UTF_8);
        }
    }

    private void launch(NodeFiles node) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", System.getProperty("java.class.path"), KafkaNodeMain.class.getName(),
                node.config().toString(), clusterId));
        try {
            Files.createDirectories(node.log().getParent());
            // Standard input stays a pipe this JVM holds open: when it ends, the node halts (KafkaNodeMain).
            processes[node.id() - 1] = children.start(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log().toFile())));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Kafka node " + node.id() + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the node answers as a broker and sees every running node registered. */
    private void awaitServing(NodeFiles node) {
        Process process = processes[node.id() - 1];
        Set<Integer> expected = IntStream.rangeClosed(1, nodes.size()).filter(this::isRunning).boxed()
                .collect(Collectors.toSet());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.address(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 100,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500))) {
            await().atMost(START_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsMatching(e -> e instanceof ExecutionException || e instanceof TimeoutException)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Kafka node " + node.id() + " exited with "
                                    + process.exitValue() + " while starting; its log: " + node.log());
                        }
                        return admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).stream().map(Node::id)
                                .collect(Collectors.toSet()).containsAll(expected);
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Kafka node " + node.id() + " did not serve within "
                    + START_TIMEOUT.toSeconds() + " s; its log: " + node.log(), e);
        }
    }

    static List<Integer> freePorts(int count) throws IOException {
        // All sockets open at once, so that the ports differ; another process may still take one before the node
        // binds it, which the start then reports.
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private void deleteDirectory() {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Under the system's temporary files: left behind, not a failure of the test.
        }
    }
}
