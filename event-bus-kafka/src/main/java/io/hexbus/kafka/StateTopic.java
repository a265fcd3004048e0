package io.hexbus.kafka;

import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A group's state topic, {@link KafkaQueueSettings#stateTopic()}: per partition of the events, the ids the group
 * handled (dedupe) and the ordering keys a failing event holds back (ordering). Co-partitioned with the events
 * topic: a record about an event goes to the partition number of the event's record, so the worker that owns
 * partition <i>n</i> of the events restores partition <i>n</i> of this topic, and nothing else.
 *
 * <p>Records (keys and values are text):
 * <ul>
 *   <li>a handled id: key = the event id, value = when it was handled (epoch ms, decimal), timestamp = the same,
 *       header {@value #NAME_HEADER} = the event name (since issue 18; the admin's event progress reads it);</li>
 *   <li>a held key: key = {@value #HELD_KEY_PREFIX} + the ordering key, value = the id of the event that holds
 *       it; its tombstone (no value) releases it. An event id never starts with {@value #HELD_KEY_PREFIX}, so the
 *       two kinds cannot collide.</li>
 * </ul>
 * Compaction keeps the last record of each key; deletion drops what is older than the dedupe window, held keys
 * included: a hold that must outlive the window (a retry due later than that) has to be written again before it
 * ages out, or a restore after it would not hold the key. A record of
 * another shape (an unknown key, a value that does not parse) is skipped by {@link #restore}, so that later kinds
 * of record do not break an older reader.
 *
 * <p>Thread-safe, as its producer is; each {@link #restore} uses a consumer of its own, closed before it returns.
 * The writing methods block until the cluster acknowledged the record, at most about three times the command
 * timeout; {@link #restore} blocks while it reads. Failures are the API's: a {@link TransportTimeoutException} when
 * the cluster does not answer in time (a write may still have happened), a {@link TransportUnavailableException}
 * when it refuses or cannot be reached.
 */
final class StateTopic {

    /** The start of a held key's record key. */
    static final String HELD_KEY_PREFIX = "key:";
    /** The header of a handled id's record naming its event (records of earlier versions have none). */
    static final String NAME_HEADER = KafkaEventBus.NAME_HEADER;

    /**
     * What a partition of the state topic says.
     *
     * @param handledIds the ids handled in the partition, bounded as {@link HandledIds} is
     * @param heldKeys   the ordering keys held back, each with the id of the event that holds it; not bounded by
     *                   {@code maxRememberedIds}: each is an event waiting for its retry, and dropping one would let
     *                   a later event of its key overtake that retry
     */
    record Restored(HandledIds handledIds, Map<String, UUID> heldKeys) {

        /**
         * @param handledIds the ids handled in the partition
         * @param heldKeys   the ordering keys held back, copied
         */
        Restored {
            Objects.requireNonNull(handledIds, "handledIds");
            heldKeys = Map.copyOf(heldKeys);
        }
    }

    private final Producer<String, String> producer;
    private final TopicReader reader;
    private final KafkaQueueSettings settings;
    private final String servers;

    /**
     * @param producer   writes the records; configured with {@code acks=all} and idempotence by its owner, who
     *                   closes it
     * @param connection where the cluster is, for the consumers of {@link #restore}
     * @param settings   the topic, the dedupe window, the bound of ids and the command timeout
     */
    StateTopic(Producer<String, String> producer, KafkaConnectionSettings connection, KafkaQueueSettings settings) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.servers = connection.bootstrapServersConfig();
        // The records are small (an id and a time): fewer, larger polls restore a million of them sooner.
        this.reader = new TopicReader(connection, settings, settings.stateTopic(),
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000));
    }

    /**
     * Creates the state topic when it is missing, with as many partitions as the events topic (the settings'
     * count if that does not exist yet), compacted and deleted after the dedupe window, with the settings'
     * replication; or checks the one there. Blocks for at most a few command timeouts.
     *
     * @param admin    a connected admin client
     * @param settings the topics' names and shape
     * @param servers  the cluster, for messages
     * @throws IllegalStateException         naming both topics when the state topic's partition count differs from
     *                                       the events topic's; naming the topic when it is not both compacted and
     *                                       deleted by age, or keeps records a shorter time than the dedupe window
     * @throws TransportUnavailableException if the cluster cannot be used, or cannot hold the replication asked for
     */
    static void ensure(Admin admin, KafkaQueueSettings settings, String servers) {
        String topic = settings.stateTopic();
        // The events topic is created first, maybe a moment ago: the broker answering may not know it yet.
        int eventPartitions = ExistingTopic.describeCreated(admin, settings.eventsTopic(), settings, servers)
                .map(d -> d.partitions().size()).orElse(settings.partitions());
        NewTopic wanted = new NewTopic(topic, eventPartitions, settings.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                        + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.dedupeWindow().toMillis()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas())));
        Optional<ExistingTopic> found = ExistingTopic.createOrRead(admin, wanted, settings, servers);
        if (found.isEmpty()) {
            return;
        }
        ExistingTopic existing = found.get();
        int partitions = existing.partitions();
        if (partitions != eventPartitions) {
            // Partition n of the events is read with partition n of the state: with other counts a worker would
            // restore the ids and held keys of other events than its own, and dedupe and ordering would fail.
            throw new IllegalStateException("Kafka topic '" + topic + "' at " + servers + " has " + partitions
                    + " partitions, but the events topic '" + settings.eventsTopic() + "' has " + eventPartitions
                    + ": they must be equal (the events topic's count was changed, or the state topic made by hand);"
                    + " delete '" + topic + "' (the group forgets its handled ids and held keys), or use another"
                    + " topic prefix");
        }
        if (!existing.compacts() || !existing.deletes()) {
            String cleanup = existing.cleanupPolicy();
            // Without compaction a restore reads every record ever written within the retention; without deletion
            // the ids are kept for ever.
            throw new IllegalStateException("Kafka topic '" + topic + "' at " + servers + " has cleanup.policy="
                    + cleanup + ", but the group's state needs compact,delete (the last record of each key counts,"
                    + " and ids expire after the dedupe window): set cleanup.policy=compact,delete on it, or use"
                    + " another topic prefix");
        }
        long retention = Long.parseLong(existing.config().get(TopicConfig.RETENTION_MS_CONFIG).value());
        if (retention >= 0 && retention < settings.dedupeWindow().toMillis()) {
            throw new IllegalStateException("Kafka topic '" + topic + "' at " + servers + " has retention.ms="
                    + retention + ", shorter than the dedupe window (" + settings.dedupeWindow() + "): a restarted"
                    + " worker would forget ids still within it; set retention.ms=" + settings.dedupeWindow().toMillis()
                    + " on it, or shorten the dedupe window");
        }
    }

    /**
     * The record saying an event was handled, for a writer of its own (a worker's batch or transaction).
     *
     * @param eventId         the event id
     * @param partition       the partition of the event's record
     * @param handledAtMillis when it was handled, epoch ms
     * @return the record, to the same partition number of the state topic
     * @throws IllegalArgumentException if the partition is negative
     */
    ProducerRecord<String, String> handledRecord(UUID eventId, int partition, long handledAtMillis) {
        return handledRecord(eventId, null, partition, handledAtMillis);
    }

    /**
     * The record saying an event was handled, with its name in the {@value #NAME_HEADER} header (for
     * {@code KafkaEventProgress}; a restore ignores headers).
     *
     * @param eventId         the event id
     * @param eventName       the event name, or null for none
     * @param partition       the partition of the event's record
     * @param handledAtMillis when it was handled, epoch ms
     * @return the record, to the same partition number of the state topic
     * @throws IllegalArgumentException if the partition is negative
     */
    ProducerRecord<String, String> handledRecord(UUID eventId, String eventName, int partition,
                                                 long handledAtMillis) {
        ProducerRecord<String, String> record = new ProducerRecord<>(settings.stateTopic(), checked(partition),
                handledAtMillis, eventId.toString(), Long.toString(handledAtMillis));
        if (eventName != null) {
            record.headers().add(NAME_HEADER, eventName.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /**
     * The record saying a failing event holds back its ordering key until it is settled.
     *
     * @param orderingKey the ordering key
     * @param eventId     the event that holds it
     * @param partition   the partition of the event's record
     * @return the record, to the same partition number of the state topic
     * @throws IllegalArgumentException if the partition is negative
     */
    ProducerRecord<String, String> heldRecord(String orderingKey, UUID eventId, int partition) {
        return new ProducerRecord<>(settings.stateTopic(), checked(partition), HELD_KEY_PREFIX
                + Objects.requireNonNull(orderingKey, "orderingKey"), eventId.toString());
    }

    /**
     * The tombstone releasing an ordering key.
     *
     * @param orderingKey the ordering key
     * @param partition   the partition of the event's record
     * @return the record, to the same partition number of the state topic
     * @throws IllegalArgumentException if the partition is negative
     */
    ProducerRecord<String, String> releasedRecord(String orderingKey, int partition) {
        return new ProducerRecord<>(settings.stateTopic(), checked(partition), HELD_KEY_PREFIX
                + Objects.requireNonNull(orderingKey, "orderingKey"), null);
    }

    /**
     * Writes that an event was handled ({@link #handledRecord}) and waits for the acknowledgement.
     *
     * @param eventId         the event id
     * @param partition       the partition of the event's record
     * @param handledAtMillis when it was handled, epoch ms
     * @throws TransportTimeoutException     if the cluster did not acknowledge in time (it may still be written)
     * @throws TransportUnavailableException if the cluster refused or cannot be reached
     */
    void handled(UUID eventId, int partition, long handledAtMillis) {
        handled(eventId, null, partition, handledAtMillis);
    }

    /**
     * Writes that an event was handled, with its name ({@link #handledRecord(UUID, String, int, long)}), and waits for
     * the acknowledgement.
     *
     * @param eventId         the event id
     * @param eventName       the event name, or null for none
     * @param partition       the partition of the event's record
     * @param handledAtMillis when it was handled, epoch ms
     * @throws TransportTimeoutException     if the cluster did not acknowledge in time (it may still be written)
     * @throws TransportUnavailableException if the cluster refused or cannot be reached
     */
    void handled(UUID eventId, String eventName, int partition, long handledAtMillis) {
        KafkaCalls.write(producer, handledRecord(eventId, eventName, partition, handledAtMillis),
                "recording " + eventId + " as handled", settings, servers);
    }

    /**
     * Writes records of this topic ({@link #handledRecord}, {@link #releasedRecord}, ...), all sent before any is
     * awaited, and waits for every acknowledgement: one round trip for the lot instead of one each.
     *
     * @param records the records, in the order to send them (kept within a partition)
     * @param what    what they say, for the message of a failure
     * @throws TransportTimeoutException     if the cluster did not acknowledge them all in time (any may be written)
     * @throws TransportUnavailableException if the cluster refused one or cannot be reached (others may be written)
     */
    void writeAll(List<ProducerRecord<String, String>> records, String what) {
        if (!records.isEmpty()) {
            KafkaCalls.writeAll(producer, records, what, settings, servers);
        }
    }

    /**
     * Writes that an event holds back its ordering key ({@link #heldRecord}) and waits for the acknowledgement.
     *
     * @param orderingKey the ordering key
     * @param eventId     the event that holds it
     * @param partition   the partition of the event's record
     * @throws TransportTimeoutException     if the cluster did not acknowledge in time (it may still be written)
     * @throws TransportUnavailableException if the cluster refused or cannot be reached
     */
    void hold(String orderingKey, UUID eventId, int partition) {
        KafkaCalls.write(producer, heldRecord(orderingKey, eventId, partition),
                "holding key '" + orderingKey + "' for " + eventId, settings, servers);
    }

    /**
     * Releases an ordering key ({@link #releasedRecord}) and waits for the acknowledgement.
     *
     * @param orderingKey the ordering key
     * @param partition   the partition of the event's record
     * @throws TransportTimeoutException     if the cluster did not acknowledge in time (it may still be written)
     * @throws TransportUnavailableException if the cluster refused or cannot be reached
     */
    void release(String orderingKey, int partition) {
        KafkaCalls.write(producer, releasedRecord(orderingKey, partition),
                "releasing key '" + orderingKey + "'", settings, servers);
    }

    /**
     * Reads one partition from its beginning to its end offset taken at the call (committed records only), folding
     * it: the last record of a held key wins, a tombstone releases it; ids go into a {@link HandledIds} bounded by
     * the settings' window and {@code maxRememberedIds}, the first read forgotten first past the bound.
     *
     * @param partition the partition, that of the events the caller was assigned
     * @return what the partition says
     * @throws IllegalArgumentException      if the topic has no such partition
     * @throws TransportTimeoutException     if the cluster sends nothing for the command timeout
     * @throws TransportUnavailableException if the cluster cannot be used or the topic does not exist
     */
    Restored restore(int partition) {
        checked(partition);
        HandledIds ids = HandledIds.of(settings);
        Map<String, UUID> held = new HashMap<>();
        reader.readToEnd(List.of(partition), record -> fold(record, ids, held));
        return new Restored(ids, held);
    }

    private static void fold(ConsumerRecord<String, String> record, HandledIds ids, Map<String, UUID> held) {
        String key = record.key();
        String value = record.value();
        if (key == null) {
            return;
        }
        try {
            if (key.startsWith(HELD_KEY_PREFIX)) {
                String orderingKey = key.substring(HELD_KEY_PREFIX.length());
                if (value == null) {
                    held.remove(orderingKey);
                } else {
                    held.put(orderingKey, UUID.fromString(value));
                }
            } else if (value != null) {
                ids.add(UUID.fromString(key), Long.parseLong(value));
            }
        } catch (IllegalArgumentException notOurs) { // NumberFormatException included
            // a record of another shape: skipped, as the class says
        }
    }

    private static int checked(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be 0 or more, got " + partition);
        }
        return partition;
    }
}
