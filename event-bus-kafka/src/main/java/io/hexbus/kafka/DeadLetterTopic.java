package io.hexbus.kafka;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A group's dead-letter topic, {@link KafkaQueueSettings#deadLetterTopic()}: its shape, and its records. A dead
 * letter is one record keyed by the event id, its value the envelope, the rest in headers; a removal is a
 * tombstone (the key with no value), which compaction later turns into the record's absence.
 *
 * <p>Thread-safe, as its producer is. {@link #write} and {@link #tombstone} block until the cluster acknowledged
 * the record ({@code acks=all}, idempotent producer: the producer's configuration), at most about three times the
 * command timeout, and fail with a {@link TransportTimeoutException} (the record may still have been written) or a
 * {@link TransportUnavailableException}.
 */
final class DeadLetterTopic {

    /**
     * The partitions of a new dead-letter topic. Not the events topic's count: a dead letter is found by its id
     * (the record key) by whoever reads the whole topic, never by the worker that owns a partition, so nothing has
     * to be co-partitioned with the events; and a worker's dead-letter write is fenced by its transaction's
     * consumer offsets, not by the partition it goes to. A few partitions spread the log cleaner's work and a full
     * read over brokers (docs: one per 100,000 expected dead letters). An existing topic may have any count: a
     * tombstone goes to the partition its dead letter was read from.
     */
    static final int PARTITIONS = 3;

    static final String NAME_HEADER = "hexbus-name";
    static final String SUBSCRIPTIONS_HEADER = "hexbus-subscriptions";
    static final String ATTEMPTS_HEADER = "hexbus-attempts";
    static final String ERROR_HEADER = "hexbus-error";
    static final String FIRST_FAILED_HEADER = "hexbus-first-failed-at";
    static final String LAST_FAILED_HEADER = "hexbus-last-failed-at";

    private final Producer<String, String> producer;
    private final KafkaQueueSettings settings;
    private final String servers;

    /**
     * @param producer writes the records; configured with {@code acks=all} and idempotence by its owner, who
     *                 closes it
     * @param settings the topic's name and the command timeout
     * @param servers  the cluster, for messages
     */
    DeadLetterTopic(Producer<String, String> producer, KafkaQueueSettings settings, String servers) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.servers = Objects.requireNonNull(servers, "servers");
    }

    /**
     * Creates the dead-letter topic when it is missing: compacted (a tombstone removes a dead letter) and deleted
     * after {@link KafkaQueueSettings#deadLetterRetention()}, with the settings' replication; or checks the one
     * there. Blocks for at most a few command timeouts.
     *
     * @param admin           a connected admin client
     * @param settings        the topic's name and shape
     * @param maxMessageBytes the largest record the topic must take, as for the events topic
     * @param servers         the cluster, for messages
     * @throws IllegalStateException         naming the topic, when an existing one is not both compacted and
     *                                       deleted by age
     * @throws TransportUnavailableException if the cluster cannot be used, or cannot hold the replication asked for
     */
    static void ensure(Admin admin, KafkaQueueSettings settings, int maxMessageBytes, String servers) {
        String topic = settings.deadLetterTopic();
        NewTopic wanted = new NewTopic(topic, PARTITIONS, settings.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                        + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.deadLetterRetention().toMillis()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes)));
        ExistingTopic existing = ExistingTopic.createOrRead(admin, wanted, settings, servers).orElse(null);
        if (existing != null && (!existing.compacts() || !existing.deletes())) {
            String cleanup = existing.cleanupPolicy();
            // Without compaction removed dead letters take room until their retention; without deletion they are
            // kept for ever, past deadLetterRetention.
            throw new IllegalStateException("Kafka topic '" + topic + "' at " + servers + " has cleanup.policy="
                    + cleanup + ", but dead letters need compact,delete (a removal is a tombstone, and they expire"
                    + " after deadLetterRetention): set cleanup.policy=compact,delete on it, or use another topic"
                    + " prefix");
        }
    }

    /**
     * Writes a dead letter, replacing any earlier one of its event, and waits for the cluster's acknowledgement.
     *
     * @param deadLetter the dead letter
     * @throws IllegalArgumentException      if a subscription name contains a line break
     * @throws TransportTimeoutException     if the cluster did not acknowledge in time (it may still be written)
     * @throws TransportUnavailableException if the cluster refused or cannot be reached
     */
    void write(DeadLetter deadLetter) {
        KafkaCalls.write(producer, record(deadLetter),
                "writing the dead letter of " + deadLetter.eventId(), settings, servers);
    }

    /**
     * Removes a dead letter: writes its tombstone to the partition it was read from, and waits for the cluster's
     * acknowledgement.
     *
     * @param eventId   the dead letter's event id
     * @param partition the partition its record is in
     * @throws TransportTimeoutException     if the cluster did not acknowledge in time (it may still be written)
     * @throws TransportUnavailableException if the cluster refused or cannot be reached
     */
    void tombstone(UUID eventId, int partition) {
        ProducerRecord<String, String> tombstone = new ProducerRecord<>(settings.deadLetterTopic(), partition,
                eventId.toString(), null);
        KafkaCalls.write(producer, tombstone, "removing the dead letter of " + eventId, settings, servers);
    }

    /**
     * The record of a dead letter, for a writer of its own (a worker's transaction). Partitioned by its key, as
     * Kafka's default partitioner does with a {@code null} partition.
     *
     * @param deadLetter the dead letter
     * @return the record
     * @throws IllegalArgumentException if a subscription name contains a line break (the header's separator)
     */
    ProducerRecord<String, String> record(DeadLetter deadLetter) {
        for (String subscription : deadLetter.failedSubscriptions()) {
            if (subscription.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("subscription name '" + subscription + "' contains a line break");
            }
        }
        RecordHeaders headers = new RecordHeaders();
        header(headers, NAME_HEADER, deadLetter.eventName());
        header(headers, SUBSCRIPTIONS_HEADER, String.join("\n", deadLetter.failedSubscriptions()));
        header(headers, ATTEMPTS_HEADER, Integer.toString(deadLetter.attempts()));
        header(headers, ERROR_HEADER, deadLetter.lastError());
        header(headers, FIRST_FAILED_HEADER, Long.toString(deadLetter.firstFailedAt().toEpochMilli()));
        header(headers, LAST_FAILED_HEADER, Long.toString(deadLetter.lastFailedAt().toEpochMilli()));
        return new ProducerRecord<>(settings.deadLetterTopic(), null, deadLetter.eventId().toString(),
                deadLetter.envelope(), headers);
    }

    /**
     * Reads a dead letter back from its record. A record written by something else still reads: a missing or
     * malformed header reads as {@code "?"}, no subscription, 0 attempts, no error, or the record's timestamp.
     *
     * @param record a record of the topic with a value (not a tombstone) and an event id as key
     * @return the dead letter
     * @throws IllegalArgumentException if the key is not an event id
     */
    static DeadLetter decode(ConsumerRecord<String, String> record) {
        Headers headers = record.headers();
        String subscriptions = text(headers, SUBSCRIPTIONS_HEADER, "");
        Instant lastFailed = Instant.ofEpochMilli(lastFailedAtMillis(record));
        return new DeadLetter(UUID.fromString(record.key()), text(headers, NAME_HEADER, "?"),
                subscriptions.isEmpty() ? List.of() : Arrays.asList(subscriptions.split("\n")),
                (int) number(headers, ATTEMPTS_HEADER, 0), text(headers, ERROR_HEADER, ""),
                Instant.ofEpochMilli(number(headers, FIRST_FAILED_HEADER, lastFailed.toEpochMilli())), lastFailed,
                record.value() == null ? "" : record.value());
    }

    /**
     * @param record a record of the topic
     * @return its last-failure time in epoch ms, or its timestamp when the header is missing or malformed
     */
    static long lastFailedAtMillis(ConsumerRecord<String, String> record) {
        return number(record.headers(), LAST_FAILED_HEADER, record.timestamp());
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Headers headers, String name, String absent) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? absent : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long number(Headers headers, String name, long absent) {
        try {
            return Long.parseLong(text(headers, name, ""));
        } catch (NumberFormatException malformed) {
            return absent;
        }
    }
}
