package io.hexbus.kafka;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.ProgressReport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@link QueueAdmin#eventProgress(UUID)} on Kafka. Kafka finds no record by its key, so each call reads bounded
 * stretches of the group's topics and keeps what names the event:
 *
 * <ul>
 *   <li>its dead letter, in the one dead-letter partition its id maps to, read whole
 *       ({@link KafkaDeadLetters#find}): dead for its failed subscriptions, done for the others;</li>
 *   <li>its latest retry record among the last records past the group's committed offset of each retry tier
 *       partition: waiting for its retry with the due time, attempts and last error its progress headers carry (done
 *       and dead for the subscriptions its round settled);</li>
 *   <li>its handled id among the last records of each state topic partition: done (the event name comes from the
 *       record's header; a record written before issue 18 has none, and the answer names no subscription).</li>
 * </ul>
 * Of the retry tiers and the state topic it reads at most {@value #SCANNED_PER_PARTITION} records per partition and
 * {@value #SCANNED_PER_CALL} in all, shared equally among the partitions that have more ({@link #shares}).
 * The most recent of them wins (a dead letter retried from the admin writes its retry after its dead letter; a retry
 * handled writes its id after its record). Empty otherwise: an event that no worker has taken yet (the events topic
 * is not searched: {@code PROGRESS_OF_WAITING_EVENTS} is not claimed), one running its first round, one handled
 * before the records read of its state partition or the dedupe window, one whose dead letter was removed longer ago
 * than that (until then it shows as done), one whose retry is further back in its tier than the records read.
 *
 * <p>Thread-safe; each call blocks, for at most a few command timeouts, with a consumer of its own. Fails as the
 * admin's calls do: {@link TransportUnavailableException}, {@link TransportTimeoutException}.
 */
final class KafkaEventProgress {

    /** The most records read per partition of each retry tier and of the state topic, per call. */
    static final int SCANNED_PER_PARTITION = 1_000;

    /**
     * The most records read of the retry tiers and the state topic together, per call: shared by their partitions
     * ({@link #shares}).
     */
    static final int SCANNED_PER_CALL = 8_000;

    private final Admin admin;
    private final KafkaQueueSettings settings;
    private final String servers;
    private final KafkaDeadLetters deadLetters;
    private final RetryTopics retries;
    private final TopicReader reader;
    private final Function<String, List<String>> subscriptionsOf;

    /**
     * @param admin           reads offsets; its owner closes it
     * @param connection      where the cluster is
     * @param settings        the topics, the group and the command timeout
     * @param deadLetters     the group's dead letters
     * @param retries         decodes retry records
     * @param subscriptionsOf the application's subscriptions of an event name (none for a name it does not know)
     */
    KafkaEventProgress(Admin admin, KafkaConnectionSettings connection, KafkaQueueSettings settings,
                       KafkaDeadLetters deadLetters, RetryTopics retries,
                       Function<String, List<String>> subscriptionsOf) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.servers = connection.bootstrapServersConfig();
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.retries = Objects.requireNonNull(retries, "retries");
        this.subscriptionsOf = Objects.requireNonNull(subscriptionsOf, "subscriptionsOf");
        this.reader = new TopicReader(connection, settings, "the retry tiers and state topic of group "
                + settings.group(), Map.of());
    }

    /** A handled id's record: when it was handled, and its event's name if the record has it. */
    private record Handled(long atMillis, Optional<String> eventName) {
    }

    /**
     * @param eventId an event id
     * @return where it stands, or empty when none of the records read names it
     */
    Optional<EventProgress> progress(UUID eventId) {
        Objects.requireNonNull(eventId, "eventId");
        Optional<DeadLetter> dead = deadLetters.find(eventId);
        byte[] id = eventId.toString().getBytes(StandardCharsets.UTF_8);
        String key = eventId.toString();
        RetryTopics.Read[] retry = new RetryTopics.Read[1];
        Handled[] handled = new Handled[1];
        List<String> tiers = new ArrayList<>();
        for (RetryTiers.Tier tier : RetryTiers.Tier.values()) {
            tiers.add(RetryTopics.topic(settings, tier));
        }
        Ranges ranges = ranges(tiers, settings.stateTopic());
        reader.readPartitionRanges(ranges.from(), ranges.until(), record -> {
            if (record.topic().equals(settings.stateTopic())) {
                if (key.equals(record.key()) && record.value() != null
                        && (handled[0] == null || record.timestamp() >= handled[0].atMillis())) {
                    handled[0] = new Handled(record.timestamp(), text(record, StateTopic.NAME_HEADER));
                }
            } else if (names(record, id) && (retry[0] == null || record.timestamp() >= retry[0].appendMillis())) {
                try {
                    retry[0] = retries.decode(record);
                } catch (IllegalArgumentException poison) {
                    // a record its reader dead-letters: not one this answer can read
                }
            }
        });
        long deadAt = dead.map(d -> d.lastFailedAt().toEpochMilli()).orElse(Long.MIN_VALUE);
        long retryAt = retry[0] == null ? Long.MIN_VALUE : retry[0].appendMillis();
        long handledAt = handled[0] == null ? Long.MIN_VALUE : handled[0].atMillis();
        if (dead.isPresent() && deadAt >= retryAt) {
            return Optional.of(ProgressReport.deadLettered(dead.get(), subscriptionsOf.apply(dead.get().eventName())));
        }
        if (retry[0] != null && retryAt > handledAt) {
            RetryTopics.Retry r = retry[0].retry();
            return Optional.of(ProgressReport.onQueue(eventId, r.eventName(), r.progress(),
                    r.only().orElseGet(() -> subscriptionsOf.apply(r.eventName()))));
        }
        if (handled[0] != null) {
            String name = handled[0].eventName().orElse("?");
            return Optional.of(ProgressReport.completed(eventId, name,
                    handled[0].eventName().map(subscriptionsOf).orElse(List.of())));
        }
        return Optional.empty();
    }

    private static boolean names(ConsumerRecord<String, String> record, byte[] id) {
        Header header = record.headers().lastHeader(RetryTopics.ID_HEADER);
        return header != null && Arrays.equals(header.value(), id);
    }

    private static Optional<String> text(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private record Ranges(Map<TopicPartition, Long> from, Map<TopicPartition, Long> until) {
    }

    /**
     * What to read: of each retry tier, from the group's committed offset (or the earliest kept), and of the state
     * topic from its beginning, to the last stable offset; of each, the last records before it, as many as
     * {@link #shares} gives it.
     */
    private Ranges ranges(List<String> tiers, String stateTopic) {
        long deadline = System.nanoTime() + settings.commandTimeout().toNanos();
        List<String> topics = new ArrayList<>(tiers);
        topics.add(stateTopic);
        var committedFuture = admin.listConsumerGroupOffsets(settings.consumerGroupId())
                .partitionsToOffsetAndMetadata();
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (String topic : topics) {
            TopicDescription d;
            try {
                d = await(described.get(topic), "describing topic " + topic, deadline);
            } catch (TransportUnavailableException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    continue; // not created yet (an admin connected without a transport): nothing of it to read
                }
                throw e;
            }
            for (TopicPartitionInfo p : d.partitions()) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
            }
        }
        if (latest.isEmpty()) {
            return new Ranges(Map.of(), Map.of());
        }
        ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        var endFuture = admin.listOffsets(latest, committedOnly).all();
        var startFuture = admin.listOffsets(earliest, committedOnly).all();
        Map<TopicPartition, OffsetAndMetadata> committed = await(committedFuture,
                "reading the offsets of group " + settings.consumerGroupId(), deadline);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = await(endFuture,
                "reading the end offsets of the retry tiers and the state topic", deadline);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> start = await(startFuture,
                "reading the earliest offsets of the retry tiers and the state topic", deadline);
        Map<TopicPartition, Long> available = new HashMap<>();
        for (TopicPartition tp : latest.keySet()) {
            OffsetAndMetadata position = tp.topic().equals(stateTopic) ? null : committed.get(tp);
            long first = Math.max(start.get(tp).offset(), position == null ? 0 : position.offset());
            available.put(tp, Math.max(0, end.get(tp).offset() - first));
        }
        Map<TopicPartition, Long> share = shares(available, SCANNED_PER_PARTITION, SCANNED_PER_CALL);
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> until = new HashMap<>();
        for (TopicPartition tp : latest.keySet()) {
            long last = end.get(tp).offset();
            from.put(tp, last - share.get(tp));
            until.put(tp, last);
        }
        return new Ranges(from, until);
    }

    /**
     * Shares a budget of records among partitions: each gets what it has, at most {@code perPartition}, and all
     * together at most {@code perCall}; when they have more than that, the budget is split equally, a partition
     * with less than its equal part leaving the rest to the others.
     *
     * @param available    per partition, how many records it has to read
     * @param perPartition the most read of one partition
     * @param perCall      the most read of all
     * @return per partition (the same ones), how many of its last records to read
     */
    static <K> Map<K, Long> shares(Map<K, Long> available, long perPartition, long perCall) {
        Map<K, Long> share = new HashMap<>();
        List<Map.Entry<K, Long>> smallestFirst = new ArrayList<>(available.entrySet());
        smallestFirst.sort(Map.Entry.comparingByValue());
        long left = perCall;
        int partitionsLeft = smallestFirst.size();
        for (Map.Entry<K, Long> each : smallestFirst) {
            long read = Math.min(Math.min(each.getValue(), perPartition), left / partitionsLeft);
            share.put(each.getKey(), read);
            left -= read;
            partitionsLeft--;
        }
        return share;
    }

    private <T> T await(KafkaFuture<T> future, String what, long deadline) {
        long remaining = Math.max(1, deadline - System.nanoTime());
        return EventsTopic.call(future, what, settings.withCommandTimeout(Duration.ofNanos(remaining)),
                servers);
    }
}
