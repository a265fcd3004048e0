package io.hexbus.kafka.testing;

import io.hexbus.api.testing.TestLogs;
import io.hexbus.kafka.KafkaConnectionSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The Kafka every transport test talks to, found in this order: {@code KAFKA_BOOTSTRAP_SERVERS} if set; else a
 * single-node KRaft broker started from Kafka's jars on the test class path in a child JVM, once per test JVM, and
 * stopped when that JVM exits; else the test fails saying how to get one. Never skipped. Tests share it and isolate
 * themselves with unique topic and group names, deleting their topics when done.
 *
 * <p>{@link #cluster} starts a private multi-node cluster for a test that takes nodes down.
 */
public final class TestKafka {

    /** The variable naming an external Kafka, as {@code host:port[,host:port...]}. */
    public static final String BOOTSTRAP_SERVERS_VARIABLE = "KAFKA_BOOTSTRAP_SERVERS";

    private static final String HOW_TO_GET_KAFKA = "set " + BOOTSTRAP_SERVERS_VARIABLE + "=host:port of a Kafka 4"
            + " broker (with topic deletion enabled), or let the tests start their own: they need the Kafka jars"
            + " (org.apache.kafka:kafka_2.13, test scope) from Maven Central, a JDK 17+ and free loopback ports";

    private static String shared;

    private TestKafka() {
    }

    /**
     * @return the shared test Kafka's bootstrap servers, starting a broker on first use
     * @throws IllegalStateException if no Kafka can be had, saying how to get one
     */
    public static synchronized String shared() {
        if (shared == null) {
            shared = find();
        }
        return shared;
    }

    /**
     * Starts a private KRaft cluster of combined broker and controller nodes, whose nodes the test may kill, stop
     * and restart: with 3 nodes, topics have 3 replicas and 2 must be in sync. Each node's output goes to a file
     * next to the running test's log, {@code <test>.kafka-<node>.log} ({@link TestLogs#file}).
     *
     * @param size how many nodes
     * @return the running cluster; close it when done
     * @throws IllegalStateException if a node does not start, naming its log
     */
    public static KafkaCluster cluster(int size) {
        return KafkaCluster.start(size, node -> {
            try {
                return TestLogs.file("kafka-" + node);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String find() {
        String servers = System.getenv(BOOTSTRAP_SERVERS_VARIABLE);
        if (servers != null && !servers.isBlank()) {
            try {
                return KafkaConnectionSettings.parse(servers).bootstrapServersConfig();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(BOOTSTRAP_SERVERS_VARIABLE + " is set but invalid: " + e.getMessage(),
                        e);
            }
        }
        // Under target/, beside the tests' logs; one file per test JVM.
        Path log = Path.of("target", "test-logs", "kafka", "shared-broker-" + ProcessHandle.current().pid() + ".log")
                .toAbsolutePath();
        KafkaCluster broker;
        try {
            broker = KafkaCluster.start(1, node -> log);
        } catch (RuntimeException e) {
            throw new IllegalStateException("no Kafka for the tests: " + BOOTSTRAP_SERVERS_VARIABLE + " is not set"
                    + " and the broker they start did not serve (" + e.getMessage() + "); " + HOW_TO_GET_KAFKA, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "hexbus-kafka-shared-broker-stop"));
        return broker.bootstrapServers();
    }
}
