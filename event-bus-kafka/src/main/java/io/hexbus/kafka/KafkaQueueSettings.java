package io.hexbus.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the Kafka transport names and shapes its topics and bounds its calls. Immutable; start from
 * {@link #defaults(String)} and change what differs with the {@code with…} methods.
 *
 * @param topicPrefix       the start of every topic name of the bus, e.g. {@code hexbus.domain-events}: its events
 *                          go to {@code <topicPrefix>.events}
 * @param group             the application (consumer group), one per application
 * @param partitions        partitions of the events topic, 1 or more: the most workers that share an application's
 *                          work
 * @param replicationFactor replicas of each partition, 1 or more (3 in production; 1 on a single broker)
 * @param minInsyncReplicas replicas that must have a write before it is acknowledged, 1 to
 *                          {@code replicationFactor}
 * @param retention         how long the events topic keeps an event: at least the dedupe window
 * @param commandTimeout    how long a call to the cluster (a publish included) may take before it fails
 */
public record KafkaQueueSettings(String topicPrefix, String group, int partitions, short replicationFactor,
                                 int minInsyncReplicas, Duration retention, Duration commandTimeout) {

    /** The default topic prefix. */
    public static final String DEFAULT_PREFIX = "hexbus.domain-events";

    // Kafka's topic grammar, with room left for the suffixes of the transport's topics (255 is Kafka's limit).
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,180}");

    /**
     * Checks the components.
     *
     * @param topicPrefix       the start of every topic name
     * @param group             the application's consumer group
     * @param partitions        partitions of the events topic
     * @param replicationFactor replicas of each partition
     * @param minInsyncReplicas replicas that must have a write
     * @param retention         how long the events topic keeps an event
     * @param commandTimeout    how long a call may take
     * @throws IllegalArgumentException naming the component out of bounds
     */
    public KafkaQueueSettings {
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(group, "group");
        if (!NAME.matcher(topicPrefix).matches()) {
            throw new IllegalArgumentException("topicPrefix '" + topicPrefix + "' must be 1-180 letters, digits, '.',"
                    + " '_' or '-'");
        }
        if (!NAME.matcher(group).matches()) {
            throw new IllegalArgumentException("group '" + group + "' must be 1-180 letters, digits, '.', '_' or '-'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, got " + replicationFactor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("minInsyncReplicas must be 1 to replicationFactor ("
                    + replicationFactor + "), got " + minInsyncReplicas);
        }
        positive("retention", retention);
        positive("commandTimeout", commandTimeout);
    }

    /**
     * The defaults for a production cluster: 8 partitions, 3 replicas of which 2 must have each write, events kept
     * 7 days, calls bounded by 10 seconds.
     *
     * @param group the application's consumer group
     * @return the settings
     */
    public static KafkaQueueSettings defaults(String group) {
        return new KafkaQueueSettings(DEFAULT_PREFIX, group, 8, (short) 3, 2, Duration.ofDays(7),
                Duration.ofSeconds(10));
    }

    /**
     * @return the topic every event of the bus is written to
     */
    public String eventsTopic() {
        return topicPrefix + ".events";
    }

    /**
     * @param value the topic prefix
     * @return a copy with it
     */
    public KafkaQueueSettings withTopicPrefix(String value) {
        return new KafkaQueueSettings(value, group, partitions, replicationFactor, minInsyncReplicas, retention,
                commandTimeout);
    }

    /**
     * @param value the consumer group
     * @return a copy with it
     */
    public KafkaQueueSettings withGroup(String value) {
        return new KafkaQueueSettings(topicPrefix, value, partitions, replicationFactor, minInsyncReplicas, retention,
                commandTimeout);
    }

    /**
     * @param value partitions of the events topic
     * @return a copy with it
     */
    public KafkaQueueSettings withPartitions(int value) {
        return new KafkaQueueSettings(topicPrefix, group, value, replicationFactor, minInsyncReplicas, retention,
                commandTimeout);
    }

    /**
     * Sets the replicas and how many of them must have a write.
     *
     * @param factor   replicas of each partition
     * @param minInsync replicas that must have a write before it is acknowledged
     * @return a copy with them
     */
    public KafkaQueueSettings withReplication(int factor, int minInsync) {
        if (factor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("replicationFactor " + factor + " is too large");
        }
        return new KafkaQueueSettings(topicPrefix, group, partitions, (short) factor, minInsync, retention,
                commandTimeout);
    }

    /**
     * @param value how long the events topic keeps an event
     * @return a copy with it
     */
    public KafkaQueueSettings withRetention(Duration value) {
        return new KafkaQueueSettings(topicPrefix, group, partitions, replicationFactor, minInsyncReplicas, value,
                commandTimeout);
    }

    /**
     * @param value how long a call to the cluster may take
     * @return a copy with it
     */
    public KafkaQueueSettings withCommandTimeout(Duration value) {
        return new KafkaQueueSettings(topicPrefix, group, partitions, replicationFactor, minInsyncReplicas, retention,
                value);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
