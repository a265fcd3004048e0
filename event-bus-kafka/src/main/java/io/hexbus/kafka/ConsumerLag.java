package io.hexbus.kafka;

import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How far a consumer group is behind on some topics: per partition, its end offset less the group's committed
 * offset there, or less the partition's earliest offset when the group committed nothing there (or committed an
 * offset since deleted by retention: those records will never be read). End offsets are the last stable ones
 * ({@code read_committed}): records of open transactions are not counted yet.
 *
 * <p>Approximate by Kafka's nature: the offsets are read by separate requests, not as one snapshot, and a
 * transaction's commit marker takes an offset, so a partition written by transactions that the group has not read
 * at all counts one more per transaction.
 *
 * <p>Stateless and thread-safe. Blocks for at most about the command timeout over all its requests; fails with a
 * {@link TransportTimeoutException} past it, or a {@link TransportUnavailableException} when the cluster cannot be
 * used, as {@link EventsTopic} reports them.
 */
final class ConsumerLag {

    private ConsumerLag() {
    }

    /**
     * The lag of a group on each of some topics. A topic that does not exist is left out of the answer.
     *
     * @param admin    a connected admin client
     * @param group    the consumer group
     * @param topics   the topics
     * @param settings the command timeout
     * @param servers  the cluster, for messages
     * @return the lag of each topic that exists, 0 or more, in the order of {@code topics}
     */
    static Map<String, Long> byTopic(Admin admin, String group, Collection<String> topics, KafkaQueueSettings settings,
                                     String servers) {
        Objects.requireNonNull(group, "group");
        long deadline = System.nanoTime() + settings.commandTimeout().toNanos();
        // The group's offsets and the topics' partitions do not depend on each other: both asked at once.
        KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> committedFuture =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata();
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<String, Long> lag = new LinkedHashMap<>();
        for (String topic : topics) {
            TopicDescription description;
            try {
                description = await(described.get(topic), "describing topic " + topic, deadline, settings, servers);
            } catch (TransportUnavailableException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    continue;
                }
                throw e;
            }
            lag.put(topic, 0L);
            for (TopicPartitionInfo partition : description.partitions()) {
                TopicPartition tp = new TopicPartition(topic, partition.partition());
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
            }
        }
        if (latest.isEmpty()) {
            return lag;
        }
        ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        KafkaFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> endFuture =
                admin.listOffsets(latest, committedOnly).all();
        KafkaFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> startFuture =
                admin.listOffsets(earliest, committedOnly).all();
        Map<TopicPartition, OffsetAndMetadata> committed = await(committedFuture, "reading the offsets of group "
                + group, deadline, settings, servers);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = await(endFuture,
                "reading the end offsets of " + lag.keySet(), deadline, settings, servers);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> start = await(startFuture,
                "reading the earliest offsets of " + lag.keySet(), deadline, settings, servers);
        for (TopicPartition tp : latest.keySet()) {
            OffsetAndMetadata offset = committed.get(tp); // null: nothing committed there
            long from = Math.max(start.get(tp).offset(), offset == null ? 0 : offset.offset());
            long behind = Math.max(0, end.get(tp).offset() - from);
            lag.merge(tp.topic(), behind, Long::sum);
        }
        return lag;
    }

    /**
     * The lag of a group summed over some topics. A topic that does not exist adds nothing.
     *
     * @param admin    a connected admin client
     * @param group    the consumer group
     * @param topics   the topics
     * @param settings the command timeout
     * @param servers  the cluster, for messages
     * @return the lag, 0 or more
     */
    static long total(Admin admin, String group, Collection<String> topics, KafkaQueueSettings settings,
                      String servers) {
        return byTopic(admin, group, topics, settings, servers).values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@link EventsTopic#call}, bounded by what remains of one deadline for every request of a call. */
    private static <T> T await(KafkaFuture<T> future, String what, long deadline, KafkaQueueSettings settings,
                               String servers) {
        long remaining = Math.max(1, deadline - System.nanoTime());
        return EventsTopic.call(future, what, settings.withCommandTimeout(Duration.ofNanos(remaining)), servers);
    }
}
