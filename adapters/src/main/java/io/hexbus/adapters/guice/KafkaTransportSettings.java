package io.hexbus.adapters.guice;

import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.kafka.KafkaConnectionSettings;
import io.hexbus.kafka.KafkaQueueSettings;
import io.hexbus.kafka.KafkaWorkerSettings;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of {@link KafkaTransportModule}, read from the environment (or the configuration file) next to the
 * module that uses them, so that a composition root names no Kafka type: where Kafka is and how to log in
 * ({@link KafkaConnectionSettings#VARIABLES}: {@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_SECURITY_PROTOCOL}, the
 * SASL and TLS settings), and the topics' prefix, partitions and replication, the consumer group, the call timeout
 * and the workers' concurrency. Immutable; {@link #toString()} and {@link #describe()} show no password.
 *
 * @param connection where Kafka is and how to log in
 * @param queue      the topic prefix, group, partitions, replication and command timeout
 * @param workers    the workers' concurrency and shutdown deadline
 */
public record KafkaTransportSettings(KafkaConnectionSettings connection, KafkaQueueSettings queue,
                                     KafkaWorkerSettings workers) {

    /** The consumer group: one per application; the Redis queue reads it too. */
    public static final String QUEUE_GROUP = "HEXBUS_QUEUE_GROUP";
    /** Events one worker handles at once; the Redis queue reads it too. */
    public static final String WORKER_CONCURRENCY = "HEXBUS_WORKER_CONCURRENCY";
    /** The consumer group when {@link #QUEUE_GROUP} is unset, as on Redis. */
    public static final String DEFAULT_GROUP = "hexbus-sample";
    /** The start of every topic name. */
    public static final String TOPIC_PREFIX = "HEXBUS_KAFKA_TOPIC_PREFIX";
    /** Partitions of the events topic: the most workers that share the group's work. */
    public static final String PARTITIONS = "HEXBUS_KAFKA_PARTITIONS";
    /** Replicas of each partition of the topics the transport creates. */
    public static final String REPLICATION_FACTOR = "HEXBUS_KAFKA_REPLICATION_FACTOR";
    /** Replicas that must have a write before it is acknowledged. */
    public static final String MIN_INSYNC_REPLICAS = "HEXBUS_KAFKA_MIN_INSYNC_REPLICAS";
    /** How long a call to Kafka (a publish included) may take, in milliseconds. */
    public static final String COMMAND_TIMEOUT = "HEXBUS_KAFKA_COMMAND_TIMEOUT_MS";

    /** Every name {@link #fromConfiguration} reads. */
    public static final Set<String> VARIABLES = variables();

    /**
     * @param connection where Kafka is and how to log in
     * @param queue      the topic prefix, group, partitions, replication and command timeout
     * @param workers    the workers' concurrency and shutdown deadline
     */
    public KafkaTransportSettings {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(workers, "workers");
    }

    private static Set<String> variables() {
        Set<String> names = new HashSet<>(KafkaConnectionSettings.VARIABLES);
        names.addAll(Set.of(QUEUE_GROUP, WORKER_CONCURRENCY,
                TOPIC_PREFIX, PARTITIONS, REPLICATION_FACTOR, MIN_INSYNC_REPLICAS, COMMAND_TIMEOUT));
        return Set.copyOf(names);
    }

    /**
     * Reads and checks the settings.
     *
     * @param config           the merged configuration: the environment over the configuration file
     * @param shutdownDeadline how long in-flight handlers may finish at shutdown (a setting of the application)
     * @return the settings
     * @throws IllegalArgumentException naming the variable whose value is wrong and the allowed values (never quoting
     *                                  a password)
     */
    public static KafkaTransportSettings fromConfiguration(Map<String, String> config, Duration shutdownDeadline) {
        KafkaConnectionSettings connection = KafkaConnectionSettings.fromEnvironment(config);
        String group = config.getOrDefault(QUEUE_GROUP, DEFAULT_GROUP)
                .trim();
        KafkaQueueSettings queue;
        try {
            queue = KafkaQueueSettings.defaults(group);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(QUEUE_GROUP + "='" + group + "' is not allowed:"
                    + " use 1 to 180 letters, digits, '.', '_' or '-' (one consumer group per application; default "
                    + DEFAULT_GROUP + ")");
        }
        String prefix = config.getOrDefault(TOPIC_PREFIX, KafkaQueueSettings.DEFAULT_PREFIX).trim();
        try {
            queue = queue.withTopicPrefix(prefix);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(TOPIC_PREFIX + "='" + prefix + "' is not allowed: use 1 to 180 letters,"
                    + " digits, '.', '_' or '-', at most 228 with the group (default "
                    + KafkaQueueSettings.DEFAULT_PREFIX + ")");
        }
        int partitions = SettingValues.wholeNumber(config, PARTITIONS, queue.partitions(), 1, 10_000,
                "partitions of the events topic, the most workers that share the group's work");
        int factor = SettingValues.wholeNumber(config, REPLICATION_FACTOR, queue.replicationFactor(), 1, 32,
                "replicas of each partition; 1 on a single broker");
        int minInsync = SettingValues.wholeNumber(config, MIN_INSYNC_REPLICAS, Math.min(factor,
                queue.minInsyncReplicas()), 1, factor, "replicas that must have a write, at most "
                + REPLICATION_FACTOR);
        int timeoutMillis = SettingValues.wholeNumber(config, COMMAND_TIMEOUT,
                (int) queue.commandTimeout().toMillis(), 100, 600_000,
                "milliseconds a call to Kafka may take, a publish included");
        queue = queue.withPartitions(partitions).withReplication(factor, minInsync)
                .withCommandTimeout(Duration.ofMillis(timeoutMillis));
        KafkaWorkerSettings defaults = KafkaWorkerSettings.defaults();
        int concurrency = SettingValues.wholeNumber(config, WORKER_CONCURRENCY,
                defaults.engine().concurrency(), 1, 1_000, "events one worker handles at once");
        EngineSettings engine = defaults.engine().withConcurrency(concurrency).withShutdownDeadline(shutdownDeadline);
        return new KafkaTransportSettings(connection, queue, defaults.withEngine(engine));
    }

    /**
     * @return where Kafka is and how the app connects (never a password), the consumer group and the events topic,
     *         for the start-up log
     */
    public String describe() {
        return connection.describe() + ", group '" + queue.group() + "', topic " + queue.eventsTopic() + " ("
                + queue.partitions() + " partitions, replication factor " + queue.replicationFactor() + ")";
    }

    /**
     * @return the application's name as the statistics show it (the Kafka consumer group is
     *         {@code <topic prefix>.<group>})
     */
    public String group() {
        return queue.group();
    }

    /**
     * @return the Kafka consumer group of the application's workers, {@code <topic prefix>.<group>}
     */
    public String consumerGroupId() {
        return queue.consumerGroupId();
    }

    /** @return how long the queue remembers an event id, which bounds how far recurring events catch up */
    public Duration dedupeWindow() {
        return queue.dedupeWindow();
    }
}
