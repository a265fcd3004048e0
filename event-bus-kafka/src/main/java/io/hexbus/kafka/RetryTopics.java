package io.hexbus.kafka;

import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressUpdate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A group's retry tier topics ({@link RetryTiers}: {@code <prefix>.<group>.retry.1s} … {@code .16h}): their shape,
 * and their records.
 *
 * <p><b>Shape.</b> Each tier has the events topic's partition count (a retry goes to the partition number of its
 * event, so the worker that owns partition <i>n</i> of the events owns it), {@code cleanup.policy=delete},
 * {@code message.timestamp.type=LogAppendTime} (a record's timestamp is the broker's clock when it was appended: the
 * tiers' waits are counted on it, never on a worker's clock), {@code max.message.bytes} as the events topic, and the
 * settings' replication. Retention, the rule: the events topic's retention plus the tier's wait, so a retry is kept at
 * least as long as an unread event would be, counted from when it comes due for a look; an existing tier keeping
 * records less than twice its wait is refused (a retry would be deleted about when it is due).
 *
 * <p><b>Records.</b> Key: the event's ordering key; partition: its event's; value: the envelope; headers
 * {@value #NAME_HEADER}, {@value #ID_HEADER}, the progress ({@link ProgressHeaders}), {@value #DUE_AT_HEADER} (the
 * absolute due time, epoch ms on the broker's clock, decimal), and for a dead-letter retry {@value #ONLY_HEADER}:
 * the subscriptions to run, joined by line breaks. {@link #decode} reads them back strictly.
 *
 * <p>Thread-safe, as its producer is. {@link #write} blocks until the cluster acknowledged the record (the
 * producer's {@code acks=all} and idempotence), at most about three times the command timeout, and fails with a
 * {@link TransportTimeoutException} (the record may still have been written) or a
 * {@link TransportUnavailableException}.
 */
final class RetryTopics {

    static final String NAME_HEADER = KafkaEventBus.NAME_HEADER;
    static final String ID_HEADER = KafkaEventBus.ID_HEADER;
    /** The header holding when the retry is due: epoch ms on the broker's clock, decimal. */
    static final String DUE_AT_HEADER = "hexbus-due-at";
    /** The header naming the only subscriptions a dead-letter retry runs, joined by line breaks. */
    static final String ONLY_HEADER = "hexbus-only";


    /**
     * A retry record's content.
     *
     * @param key         the record key: the event's ordering key
     * @param partition   the partition of the event's record, 0 or more
     * @param eventId     the event id
     * @param eventName   the event name
     * @param envelope    the event as it travels (JSON)
     * @param progress    the event's progress when written (for a read record: with its update applied)
     * @param update      what the round that rescheduled it adds, applied at the append time; empty for a hop, a
     *                    dead-letter retry, and a read record
     * @param dueAtMillis when the retry is due, epoch ms on the broker's clock
     * @param only        for a dead-letter retry, the only subscriptions to run (one or more); empty: all
     */
    record Retry(String key, int partition, UUID eventId, String eventName, String envelope, Progress progress,
                 Optional<ProgressUpdate> update, long dueAtMillis, Optional<List<String>> only) {

        /**
         * Checks and copies.
         *
         * @param key         the ordering key
         * @param partition   the event's partition
         * @param eventId     the event id
         * @param eventName   the event name
         * @param envelope    the envelope
         * @param progress    the progress
         * @param update      the round's update, if any
         * @param dueAtMillis when it is due
         * @param only        the only subscriptions to run, if any
         * @throws IllegalArgumentException if the partition is negative, or a subscription of {@code only} is
         *                                  empty, contains a line break or is listed twice, or {@code only} is
         *                                  present and empty
         */
        Retry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(eventName, "eventName");
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(progress, "progress");
            Objects.requireNonNull(update, "update");
            Objects.requireNonNull(only, "only");
            if (partition < 0) {
                throw new IllegalArgumentException("partition must be 0 or more, got " + partition);
            }
            only = only.map(List::copyOf);
            only.ifPresent(RetryTopics::checkOnly);
        }
    }

    /**
     * A retry record read back.
     *
     * @param retry        what it carries; its progress has the record's update applied at its append time
     * @param tier         the tier it was read from
     * @param appendMillis its timestamp: when the broker appended it
     */
    record Read(Retry retry, RetryTiers.Tier tier, long appendMillis) {
    }

    private final Producer<String, String> producer;
    private final KafkaQueueSettings settings;
    private final String servers;
    private final Map<String, RetryTiers.Tier> tiersByTopic;

    /**
     * @param producer writes the records; configured with {@code acks=all} and idempotence by its owner, who closes
     *                 it
     * @param settings the topics' names and the command timeout
     * @param servers  the cluster, for messages
     */
    RetryTopics(Producer<String, String> producer, KafkaQueueSettings settings, String servers) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.servers = Objects.requireNonNull(servers, "servers");
        Map<String, RetryTiers.Tier> byTopic = new HashMap<>();
        for (RetryTiers.Tier tier : RetryTiers.Tier.values()) {
            byTopic.put(topic(settings, tier), tier);
        }
        this.tiersByTopic = Map.copyOf(byTopic);
    }

    /**
     * @param settings the topic prefix and the group
     * @param tier     a tier
     * @return its topic
     */
    static String topic(KafkaQueueSettings settings, RetryTiers.Tier tier) {
        return tier.topic(settings.topicPrefix(), settings.group());
    }

    /**
     * The retention of a new tier topic: the events topic's retention plus the tier's wait.
     *
     * @param settings the events topic's retention
     * @param tier     the tier
     * @return {@code retention.ms}
     */
    static long retentionMillis(KafkaQueueSettings settings, RetryTiers.Tier tier) {
        long events = settings.retention().toMillis();
        return events > Long.MAX_VALUE - tier.waitMillis() ? Long.MAX_VALUE : events + tier.waitMillis();
    }

    /**
     * The partition Kafka's default partitioner picks for a record key of a topic of {@code partitions}
     * partitions, as {@code BuiltInPartitioner.partitionForKey} does: murmur2 of the key's UTF-8 bytes (what the
     * {@code StringSerializer} writes), made positive, modulo the count.
     *
     * @param key        the record key
     * @param partitions the topic's partition count, 1 or more
     * @return the partition
     */
    static int partitionFor(String key, int partitions) {
        Objects.requireNonNull(key, "key");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * Creates the tier topics that are missing and checks those there. Blocks for at most a few command timeouts.
     *
     * @param admin           a connected admin client
     * @param settings        the topics' names and shape
     * @param maxMessageBytes the largest record a tier must take, as for the events topic
     * @param servers         the cluster, for messages
     * @return the partition count of the tiers: the events topic's (the settings' count when it does not exist)
     * @throws IllegalStateException         naming the tier topic and what differs: a partition count other than
     *                                       the events topic's (naming both), a cleanup policy other than delete,
     *                                       {@code message.timestamp.type=CreateTime}, a retention under twice the
     *                                       tier's wait
     * @throws TransportUnavailableException if the cluster cannot be used, or cannot hold the replication asked for
     */
    static int ensure(Admin admin, KafkaQueueSettings settings, int maxMessageBytes, String servers) {
        // The events topic is created first, maybe a moment ago: the broker answering may not know it yet.
        int eventPartitions = ExistingTopic.describeCreated(admin, settings.eventsTopic(), settings, servers)
                .map(d -> d.partitions().size()).orElse(settings.partitions());
        for (RetryTiers.Tier tier : RetryTiers.Tier.values()) {
            ensure(admin, settings, tier, eventPartitions, maxMessageBytes, servers);
        }
        return eventPartitions;
    }

    private static void ensure(Admin admin, KafkaQueueSettings settings, RetryTiers.Tier tier, int eventPartitions,
                               int maxMessageBytes, String servers) {
        String topic = topic(settings, tier);
        NewTopic wanted = new NewTopic(topic, eventPartitions, settings.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, ExistingTopic.LOG_APPEND_TIME,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMillis(settings, tier)),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes)));
        Optional<ExistingTopic> found = ExistingTopic.createOrRead(admin, wanted, settings, servers);
        if (found.isEmpty()) {
            return;
        }
        ExistingTopic existing = found.get();
        int partitions = existing.partitions();
        if (partitions != eventPartitions) {
            // A retry goes to its event's partition number: with another count it would go to a partition another
            // worker owns, or to none, and its key's order would be lost.
            throw new IllegalStateException("Kafka topic '" + topic + "' at " + servers + " has " + partitions
                    + " partitions, but the events topic '" + settings.eventsTopic() + "' has " + eventPartitions
                    + ": they must be equal; delete '" + topic + "' once it is drained, or use another topic prefix");
        }
        Config config = existing.config();
        String cleanup = existing.cleanupPolicy();
        if (!existing.deletes() || existing.compacts()) {
            throw new IllegalStateException("Kafka topic '" + topic + "' at " + servers + " has cleanup.policy="
                    + cleanup + ", but retries must be kept whole, each one (compaction would drop all but the last"
                    + " retry of an ordering key): set cleanup.policy=delete on it, or use another topic prefix");
        }
        if (!existing.appendTimestamped()) {
            String timestamps = config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value();
            // With CreateTime a record's timestamp is the writer's clock: the tier's wait would be counted on it.
            throw new IllegalStateException("Kafka topic '" + topic + "' at " + servers + " has "
                    + TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG + "=" + timestamps + ", but a retry tier needs "
                    + ExistingTopic.LOG_APPEND_TIME + " (its waits are counted on the broker's clock): set "
                    + TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG + "=" + ExistingTopic.LOG_APPEND_TIME + " on it, or use"
                    + " another topic prefix");
        }
        long retention = Long.parseLong(config.get(TopicConfig.RETENTION_MS_CONFIG).value());
        if (retention >= 0 && retention / 2 < tier.waitMillis()) {
            throw new IllegalStateException("Kafka topic '" + topic + "' at " + servers + " has retention.ms="
                    + retention + ", under twice the tier's wait of " + tier.waitMillis() + " ms: a retry would be"
                    + " deleted about when it is due; set retention.ms=" + retentionMillis(settings, tier)
                    + " on it, or use another topic prefix");
        }
    }

    /**
     * The record of a retry in a tier, for a writer of its own (a worker's transaction), or for {@link #write}.
     *
     * @param tier  the tier to write it to
     * @param retry what it carries
     * @return the record, to the partition number of the event
     */
    ProducerRecord<String, String> record(RetryTiers.Tier tier, Retry retry) {
        Objects.requireNonNull(tier, "tier");
        RecordHeaders headers = new RecordHeaders();
        headers.add(NAME_HEADER, utf8(retry.eventName()));
        headers.add(ID_HEADER, utf8(retry.eventId().toString()));
        headers.add(ProgressHeaders.PROGRESS, ProgressHeaders.encode(retry.progress()));
        retry.update().ifPresent(update -> headers.add(ProgressHeaders.UPDATE, ProgressHeaders.encode(update)));
        headers.add(DUE_AT_HEADER, utf8(Long.toString(retry.dueAtMillis())));
        retry.only().ifPresent(only -> headers.add(ONLY_HEADER, utf8(String.join("\n", only))));
        return new ProducerRecord<>(topic(settings, tier), retry.partition(), retry.key(), retry.envelope(),
                headers);
    }

    /**
     * Writes a retry to a tier and waits for the cluster's acknowledgement ({@link KafkaCalls#write}).
     *
     * @param tier  the tier
     * @param retry what it carries
     * @throws TransportTimeoutException     if the cluster did not acknowledge in time (it may still be written)
     * @return what the cluster acknowledged; its timestamp is the broker's time of the append
     * @throws TransportUnavailableException if the cluster refused or cannot be reached
     */
    RecordMetadata write(RetryTiers.Tier tier, Retry retry) {
        return KafkaCalls.write(producer, record(tier, retry), "writing a retry of " + retry.eventId() + " to "
                + topic(settings, tier), settings, servers);
    }

    /**
     * Reads a retry record back, strictly, so that a poison record is dead-lettered by its reader rather than
     * failing it.
     *
     * @param record a record of one of the group's tier topics
     * @return what it carries, its progress restored at its append time
     * @throws IllegalArgumentException naming the header (or the key, the value or the topic) that is missing,
     *                                  present twice, or malformed
     */
    Read decode(ConsumerRecord<String, String> record) {
        RetryTiers.Tier tier = tiersByTopic.get(record.topic());
        if (tier == null) {
            throw new IllegalArgumentException("topic '" + record.topic() + "' is not a retry tier of group "
                    + settings.group());
        }
        if (record.key() == null) {
            throw new IllegalArgumentException("a retry record of " + record.topic() + " has no key (ordering key)");
        }
        if (record.value() == null) {
            throw new IllegalArgumentException("a retry record of " + record.topic() + " has no value (envelope)");
        }
        Headers headers = record.headers();
        String name = text(headers, NAME_HEADER, true);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Kafka header " + NAME_HEADER + " is empty");
        }
        String id = text(headers, ID_HEADER, true);
        UUID eventId;
        try {
            eventId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed Kafka header " + ID_HEADER + ": '" + excerpt(id)
                    + "' is not an event id", e);
        }
        if (!eventId.toString().equals(id.toLowerCase(Locale.ROOT))) { // UUID.fromString is lenient
            throw new IllegalArgumentException("malformed Kafka header " + ID_HEADER + ": '" + excerpt(id)
                    + "' is not an event id");
        }
        byte[] update = bytes(headers, ProgressHeaders.UPDATE, false);
        Progress progress = ProgressHeaders.restore(bytes(headers, ProgressHeaders.PROGRESS, true), update,
                record.timestamp());
        String due = text(headers, DUE_AT_HEADER, true);
        long dueAt;
        try {
            dueAt = Long.parseLong(due);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed Kafka header " + DUE_AT_HEADER + ": '" + excerpt(due)
                    + "' is not a time in epoch milliseconds", e);
        }
        Optional<List<String>> only = Optional.empty();
        if (bytes(headers, ONLY_HEADER, false) != null) {
            List<String> names = Arrays.asList(text(headers, ONLY_HEADER, true).split("\n", -1));
            try {
                checkOnly(names);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed Kafka header " + ONLY_HEADER + ": " + e.getMessage(), e);
            }
            only = Optional.of(names);
        }
        Retry retry = new Retry(record.key(), record.partition(), eventId, name, record.value(), progress,
                Optional.empty(), dueAt, only);
        return new Read(retry, tier, record.timestamp());
    }

    private static void checkOnly(List<String> only) {
        if (only.isEmpty()) {
            throw new IllegalArgumentException("a dead-letter retry names at least one subscription");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String subscription : only) {
            if (subscription.isEmpty() || subscription.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("subscription name '" + excerpt(subscription) + "' is empty or"
                        + " contains a line break");
            }
            if (!seen.add(subscription)) {
                throw new IllegalArgumentException("subscription '" + excerpt(subscription) + "' is listed twice");
            }
        }
    }

    /** The header's value, or null when absent and not required; refused when present twice. */
    private static byte[] bytes(Headers headers, String name, boolean required) {
        List<Header> found = new ArrayList<>();
        headers.headers(name).forEach(found::add);
        if (found.size() > 1) {
            throw new IllegalArgumentException("Kafka header " + name + " is present " + found.size() + " times");
        }
        byte[] value = found.isEmpty() ? null : found.get(0).value();
        if (value == null && (required || !found.isEmpty())) {
            throw new IllegalArgumentException("Kafka header " + name + " is missing");
        }
        return value;
    }

    private static String text(Headers headers, String name, boolean required) {
        byte[] value = bytes(headers, name, required);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Kafka header " + name + " is not UTF-8 text", e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String excerpt(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
