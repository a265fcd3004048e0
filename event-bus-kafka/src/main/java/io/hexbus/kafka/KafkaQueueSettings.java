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
 * @param retention         how long the events topic keeps an event; positive. Not tied to the dedupe window:
 *                          see {@code dedupeWindow}
 * @param commandTimeout    how long a call to the cluster (a publish included) may take before it fails
 * @param deadLetterRetention how long the group's dead-letter topic ({@link #deadLetterTopic()}) keeps a dead
 *                          letter before Kafka deletes it (its {@code retention.ms}); positive
 * @param dedupeWindow      how long a handled event id is remembered, from when it was handled: a record of the
 *                          same id read within it is acknowledged without running (the state topic,
 *                          {@link #stateTopic()}, keeps the ids this long); positive. It may be shorter or longer
 *                          than {@code retention}, as neither bound needs the other: a duplicate is a second
 *                          record, caught while its id is remembered whether or not the first record is still
 *                          kept, and a crash re-reads only records past the committed offset, handled moments
 *                          ago. A window of at least {@code retention} also covers a group whose offsets are
 *                          rewound to the earliest record, at the cost of remembering every id that long
 * @param maxRememberedIds  the most handled ids remembered per partition, at least 1 and at most
 *                          {@value #MAX_REMEMBERED_IDS}: past it the ids handled first are forgotten first, even
 *                          within the window. Each costs about 32 bytes of a worker's heap, per partition it owns
 * @param publishTransactions the most Kafka transactions a bus runs at once, 1 to {@value #MAX_PUBLISH_TRANSACTIONS}:
 *                          {@code publishAll} of several events is one transaction, and a producer runs one at a time,
 *                          so the bus keeps up to this many transactional producers, started as concurrent calls need
 *                          them (each is a connection and a transactional id on the cluster)
 */
public record KafkaQueueSettings(String topicPrefix, String group, int partitions, short replicationFactor,
                                 int minInsyncReplicas, Duration retention, Duration commandTimeout,
                                 Duration deadLetterRetention, Duration dedupeWindow, int maxRememberedIds,
                                 int publishTransactions) {

    /** The default topic prefix. */
    public static final String DEFAULT_PREFIX = "hexbus.domain-events";

    // Kafka's topic grammar, with room left for the suffixes of the transport's topics (255 is Kafka's limit).
    /** The largest {@code maxRememberedIds}: about 8.6 GB of heap per partition, far past any sensible use. */
    public static final int MAX_REMEMBERED_IDS = 1 << 28;
    /** The largest {@code publishTransactions}. */
    public static final int MAX_PUBLISH_TRANSACTIONS = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,180}");
    // A group's topics are <topicPrefix>.<group>.<suffix>; the longest suffix is short of 20, Kafka's limit 249.
    private static final int MAX_PREFIX_AND_GROUP = 228;

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
     * @param deadLetterRetention how long a dead letter is kept
     * @param dedupeWindow      how long a handled id is remembered
     * @param maxRememberedIds  the most handled ids remembered per partition
     * @param publishTransactions the most transactions a bus runs at once
     * @throws IllegalArgumentException naming the component out of bounds, or if the topic prefix and the group
     *                                  together are longer than 228 characters
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
        if (topicPrefix.length() + group.length() > MAX_PREFIX_AND_GROUP) {
            throw new IllegalArgumentException("topicPrefix and group are " + (topicPrefix.length() + group.length())
                    + " characters together, at most " + MAX_PREFIX_AND_GROUP + " fit in a Kafka topic name");
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
        positive("deadLetterRetention", deadLetterRetention);
        positive("dedupeWindow", dedupeWindow);
        if (maxRememberedIds < 1 || maxRememberedIds > MAX_REMEMBERED_IDS) {
            throw new IllegalArgumentException("maxRememberedIds must be 1 to " + MAX_REMEMBERED_IDS + ", got "
                    + maxRememberedIds);
        }
        if (publishTransactions < 1 || publishTransactions > MAX_PUBLISH_TRANSACTIONS) {
            throw new IllegalArgumentException("publishTransactions must be 1 to " + MAX_PUBLISH_TRANSACTIONS
                    + ", got " + publishTransactions);
        }
    }

    /**
     * The defaults for a production cluster: 8 partitions, 3 replicas of which 2 must have each write, events kept
     * 7 days, calls bounded by 10 seconds, dead letters kept 7 days, handled ids remembered 24 hours and at most
     * 1,000,000 per partition, up to 4 publishing transactions at once.
     *
     * @param group the application's consumer group
     * @return the settings
     */
    public static KafkaQueueSettings defaults(String group) {
        return new KafkaQueueSettings(DEFAULT_PREFIX, group, 8, (short) 3, 2, Duration.ofDays(7),
                Duration.ofSeconds(10), Duration.ofDays(7), Duration.ofHours(24), 1_000_000, 4);
    }

    /**
     * @return the topic every event of the bus is written to
     */
    public String eventsTopic() {
        return topicPrefix + ".events";
    }

    /**
     * @return the Kafka consumer group of the application's workers, {@code <topicPrefix>.<group>}: two buses of one
     *         cluster that share an application name do not share a consumer group
     */
    public String consumerGroupId() {
        return topicPrefix + "." + group;
    }

    /**
     * @return the topic holding the group's dead letters, {@code <topicPrefix>.<group>.dead}
     */
    public String deadLetterTopic() {
        return topicPrefix + "." + group + ".dead";
    }

    /**
     * @return the topic holding, per partition of the events, the ids the group handled and the ordering keys it
     *         holds back, {@code <topicPrefix>.<group>.state}
     */
    public String stateTopic() {
        return topicPrefix + "." + group + ".state";
    }

    /**
     * @param value the topic prefix
     * @return a copy with it
     */
    public KafkaQueueSettings withTopicPrefix(String value) {
        return new KafkaQueueSettings(value, group, partitions, replicationFactor, minInsyncReplicas, retention,
                commandTimeout, deadLetterRetention, dedupeWindow, maxRememberedIds, publishTransactions);
    }

    /**
     * @param value the consumer group
     * @return a copy with it
     */
    public KafkaQueueSettings withGroup(String value) {
        return new KafkaQueueSettings(topicPrefix, value, partitions, replicationFactor, minInsyncReplicas, retention,
                commandTimeout, deadLetterRetention, dedupeWindow, maxRememberedIds, publishTransactions);
    }

    /**
     * @param value partitions of the events topic
     * @return a copy with it
     */
    public KafkaQueueSettings withPartitions(int value) {
        return new KafkaQueueSettings(topicPrefix, group, value, replicationFactor, minInsyncReplicas, retention,
                commandTimeout, deadLetterRetention, dedupeWindow, maxRememberedIds, publishTransactions);
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
                commandTimeout, deadLetterRetention, dedupeWindow, maxRememberedIds, publishTransactions);
    }

    /**
     * @param value how long the events topic keeps an event
     * @return a copy with it
     */
    public KafkaQueueSettings withRetention(Duration value) {
        return new KafkaQueueSettings(topicPrefix, group, partitions, replicationFactor, minInsyncReplicas, value,
                commandTimeout, deadLetterRetention, dedupeWindow, maxRememberedIds, publishTransactions);
    }

    /**
     * @param value how long a call to the cluster may take
     * @return a copy with it
     */
    public KafkaQueueSettings withCommandTimeout(Duration value) {
        return new KafkaQueueSettings(topicPrefix, group, partitions, replicationFactor, minInsyncReplicas, retention,
                value, deadLetterRetention, dedupeWindow, maxRememberedIds, publishTransactions);
    }

    /**
     * @param value how long the dead-letter topic keeps a dead letter
     * @return a copy with it
     */
    public KafkaQueueSettings withDeadLetterRetention(Duration value) {
        return new KafkaQueueSettings(topicPrefix, group, partitions, replicationFactor, minInsyncReplicas, retention,
                commandTimeout, value, dedupeWindow, maxRememberedIds, publishTransactions);
    }

    /**
     * @param value how long a handled event id is remembered
     * @return a copy with it
     */
    public KafkaQueueSettings withDedupeWindow(Duration value) {
        return new KafkaQueueSettings(topicPrefix, group, partitions, replicationFactor, minInsyncReplicas, retention,
                commandTimeout, deadLetterRetention, value, maxRememberedIds, publishTransactions);
    }

    /**
     * @param value the most handled ids remembered per partition
     * @return a copy with it
     */
    public KafkaQueueSettings withMaxRememberedIds(int value) {
        return new KafkaQueueSettings(topicPrefix, group, partitions, replicationFactor, minInsyncReplicas, retention,
                commandTimeout, deadLetterRetention, dedupeWindow, value, publishTransactions);
    }

    /**
     * @param value the most transactions a bus runs at once
     * @return a copy with it
     */
    public KafkaQueueSettings withPublishTransactions(int value) {
        return new KafkaQueueSettings(topicPrefix, group, partitions, replicationFactor, minInsyncReplicas, retention,
                commandTimeout, deadLetterRetention, dedupeWindow, maxRememberedIds, value);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
