package io.hexbus.kafka;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterFilter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The dead-letter half of {@link QueueAdmin} on Kafka, over a group's dead-letter topic
 * ({@link KafkaQueueSettings#deadLetterTopic()}): same arguments, checks and answers as on every transport.
 *
 * <ul>
 *   <li>Every call first reads the topic from its beginning to its end offsets into a {@link DeadLetterIndex}
 *       (newest first by last failure), so it costs a read of the whole topic; once per call, a filtered one too
 *       (the filter is judged on each record's headers, and the index keeps only the matching ones). At most
 *       {@code maxDeadLetters} (default {@value #MAX_DEAD_LETTERS}) are indexed: beyond, the oldest are left out of
 *       pages, lookups and retries; the page's total counts them, and cleaning by age and removing by filter remove
 *       them.</li>
 *   <li>A removal ({@link #remove}, {@link #cleanDeadLetters}, a successful retry) is a tombstone, written to the
 *       partition of the dead letter's record and acknowledged by the cluster before the call goes on.</li>
 *   <li>{@link #retry} and {@link #retryAll} hand each dead letter to the {@link Redelivery} and write its
 *       tombstone only once it returned true: a redelivery that returns false or throws leaves the dead letter;
 *       one that throws ends the call with its exception. A tombstone that then fails leaves the dead letter although
 *       its event was sent back: retrying it again sends it twice.</li>
 *   <li>Age is the local clock's: {@link #cleanDeadLetters} removes the dead letters whose last failure is older
 *       than {@code age} by it.</li>
 * </ul>
 *
 * <p>Thread-safe; each call blocks until done. A cluster that cannot be used fails a call with a
 * {@link TransportUnavailableException} naming it, one that does not answer within the command timeout with a
 * {@link TransportTimeoutException} (a removal may have happened). Calls at once may both see one dead letter:
 * two removals of it may both answer true.
 */
final class KafkaDeadLetters implements AutoCloseable {

    /** The most dead letters indexed by a call. */
    static final int MAX_DEAD_LETTERS = 100_000;

    private static final int BATCH = 1_000; // records fetched at once for a retryAll

    private final DeadLetterTopic topic;
    private final DeadLetterReader reader;
    private final Redelivery redelivery;
    private final Clock clock;
    private final int maxDeadLetters;
    private final Runnable resources;

    /**
     * @param topic          writes tombstones
     * @param reader         reads the topic
     * @param redelivery     sends a retried dead letter back
     * @param clock          tells the age of a dead letter
     * @param maxDeadLetters the most dead letters a call indexes, 1 or more
     * @param resources      closed by {@link #close()}: what the caller wants closed with this
     */
    KafkaDeadLetters(DeadLetterTopic topic, DeadLetterReader reader, Redelivery redelivery, Clock clock,
                     int maxDeadLetters, Runnable resources) {
        if (maxDeadLetters < 1) {
            throw new IllegalArgumentException("maxDeadLetters must be at least 1, got " + maxDeadLetters);
        }
        this.topic = Objects.requireNonNull(topic, "topic");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.redelivery = Objects.requireNonNull(redelivery, "redelivery");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxDeadLetters = maxDeadLetters;
        this.resources = Objects.requireNonNull(resources, "resources");
    }

    /**
     * Connects: creates the dead-letter topic when missing (or checks it) and starts a producer for tombstones
     * ({@code acks=all}, idempotent), closed by {@link #close()}.
     *
     * @param connection      where the cluster is
     * @param settings        the topics and timeouts
     * @param maxMessageBytes the largest record the topic must take
     * @param redelivery      sends a retried dead letter back
     * @param maxDeadLetters  the most dead letters a call indexes
     * @return the dead letters; close when done
     * @throws TransportUnavailableException if the cluster cannot be used within the command timeout
     * @throws IllegalStateException         if the topic exists with another cleanup policy, naming it
     */
    static KafkaDeadLetters connect(KafkaConnectionSettings connection, KafkaQueueSettings settings,
                                    int maxMessageBytes, Redelivery redelivery, int maxDeadLetters) {
        String servers = connection.bootstrapServersConfig();
        try (Admin admin = Admin.create(KafkaCalls.adminConfig(connection, settings))) {
            DeadLetterTopic.ensure(admin, settings, maxMessageBytes, servers);
        }
        Producer<String, String> producer = KafkaCalls.producer(
                KafkaCalls.producerConfig(connection, settings, maxMessageBytes), servers);
        return new KafkaDeadLetters(new DeadLetterTopic(producer, settings, servers),
                new DeadLetterReader(connection, settings), redelivery, Clock.systemUTC(), maxDeadLetters,
                () -> producer.close(settings.commandTimeout()));
    }

    /**
     * As {@link QueueAdmin#deadLetters(int, int)}.
     *
     * @param offset how many to skip, 0 or more
     * @param limit  how many to return, 1 to 1,000
     * @return the page, newest first; its total counts the dead letters left out of the index too
     * @throws IllegalArgumentException as {@link DeadLetterPage#checkRequest} says
     */
    DeadLetterPage deadLetters(int offset, int limit) {
        return deadLetters(DeadLetterFilter.ANY, offset, limit);
    }

    /**
     * As {@link QueueAdmin#deadLetters(DeadLetterFilter, int, int)}, in one read of the topic that keeps where each
     * matching dead letter is (not the dead letter), then a read of the page's records.
     *
     * @param filter which dead letters
     * @param offset how many matching ones to skip, 0 or more
     * @param limit  how many to return, 1 to 1,000
     * @return the page, newest first; its total counts the matching dead letters, those left out of the index too
     * @throws IllegalArgumentException as {@link DeadLetterPage#checkRequest} says
     */
    DeadLetterPage deadLetters(DeadLetterFilter filter, int offset, int limit) {
        Objects.requireNonNull(filter, "filter");
        DeadLetterPage.checkRequest(offset, limit);
        DeadLetterIndex index = reader.index(maxDeadLetters, Long.MAX_VALUE, filter);
        List<DeadLetterIndex.Entry> entries = index.newestFirst(offset, limit);
        Map<UUID, DeadLetter> found = reader.read(entries);
        List<DeadLetter> items = new ArrayList<>(entries.size());
        for (DeadLetterIndex.Entry entry : entries) {
            DeadLetter deadLetter = found.get(entry.eventId());
            if (deadLetter != null) {
                items.add(deadLetter);
            }
        }
        return new DeadLetterPage(items, offset, index.total());
    }

    /**
     * As {@link QueueAdmin#deadLetter(UUID)}.
     *
     * @param eventId the id of a dead-lettered event
     * @return its dead letter, or empty if there is none (or it is left out of the index)
     */
    Optional<DeadLetter> deadLetter(UUID eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return reader.index(maxDeadLetters, Long.MAX_VALUE).get(eventId)
                .map(entry -> reader.read(List.of(entry)).get(eventId));
    }

    /**
     * Finds a dead letter reading only the partition its id's record goes to ({@link DeadLetterReader#find}), a
     * third of the topic or less: for {@link KafkaEventProgress}.
     *
     * @param eventId an event id
     * @return its dead letter, or empty if there is none in that partition
     */
    Optional<DeadLetter> find(UUID eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return reader.find(eventId);
    }

    /**
     * As {@link QueueAdmin#retry(UUID)}: hands the dead letter to the redelivery, then removes it.
     *
     * @param eventId the id of a dead-lettered event
     * @return true if it was queued again; false if there is no such dead letter, or the redelivery returned false
     *         (the dead letter stays)
     */
    boolean retry(UUID eventId) {
        Objects.requireNonNull(eventId, "eventId");
        Optional<DeadLetterIndex.Entry> entry = reader.index(maxDeadLetters, Long.MAX_VALUE).get(eventId);
        if (entry.isEmpty()) {
            return false;
        }
        DeadLetter deadLetter = reader.read(List.of(entry.get())).get(eventId);
        return deadLetter != null && retry(entry.get(), deadLetter);
    }

    /**
     * As {@link QueueAdmin#retryAll()}: each dead letter of the topic's end offsets when the call starts, oldest
     * first, once. Past {@code maxDeadLetters}, the oldest are left for the next call.
     *
     * @return how many were queued again (the redelivery returned true)
     */
    int retryAll() {
        return retryAll(DeadLetterFilter.ANY);
    }

    /**
     * As {@link QueueAdmin#retryAll(DeadLetterFilter)}: as {@link #retryAll()}, for the dead letters that match,
     * found in one read of the topic that keeps only where each is; their records are then read a batch at a time.
     *
     * @param filter which dead letters
     * @return how many were queued again (the redelivery returned true)
     */
    int retryAll(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        List<DeadLetterIndex.Entry> entries = reader.index(maxDeadLetters, Long.MAX_VALUE, filter).oldestFirst();
        int retried = 0;
        for (int from = 0; from < entries.size(); from += BATCH) {
            List<DeadLetterIndex.Entry> batch = entries.subList(from, Math.min(entries.size(), from + BATCH));
            Map<UUID, DeadLetter> found = reader.read(batch);
            for (DeadLetterIndex.Entry entry : batch) {
                DeadLetter deadLetter = found.get(entry.eventId());
                if (deadLetter != null && retry(entry, deadLetter)) {
                    retried++;
                }
            }
        }
        return retried;
    }

    /**
     * As {@link QueueAdmin#remove(UUID)}: writes the dead letter's tombstone.
     *
     * @param eventId the id of a dead-lettered event
     * @return true if it was there (and is removed), false if there is no such dead letter
     */
    boolean remove(UUID eventId) {
        Objects.requireNonNull(eventId, "eventId");
        Optional<DeadLetterIndex.Entry> entry = reader.index(maxDeadLetters, Long.MAX_VALUE).get(eventId);
        entry.ifPresent(e -> topic.tombstone(e.eventId(), e.partition()));
        return entry.isPresent();
    }

    /**
     * As {@link QueueAdmin#removeAll(DeadLetterFilter)}: writes the tombstones of the dead letters that match when
     * the call starts, those left out of the index included, found in one read of the topic that keeps only their
     * ids and partitions.
     *
     * @param filter which dead letters
     * @return how many were removed
     */
    int removeAll(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return tombstones(reader.index(maxDeadLetters, Long.MAX_VALUE, filter));
    }

    /**
     * As {@link QueueAdmin#cleanDeadLetters(Duration)}: writes the tombstones of the dead letters whose last
     * failure is older than {@code age}, those left out of the index included.
     *
     * @param age how old a dead letter must be to go; positive
     * @return how many were removed
     * @throws IllegalArgumentException as {@link QueueAdmin#checkCleanAge} says
     */
    int cleanDeadLetters(Duration age) {
        QueueAdmin.checkCleanAge(age);
        long now = clock.millis();
        long before = age.compareTo(Duration.ofMillis(now)) >= 0 ? 0 : now - age.toMillis();
        return tombstones(reader.index(maxDeadLetters, before));
    }

    private int tombstones(DeadLetterIndex index) {
        int cleaned = 0;
        for (DeadLetterIndex.Entry entry : index.oldestFirst()) {
            topic.tombstone(entry.eventId(), entry.partition());
            cleaned++;
        }
        for (Map.Entry<UUID, Integer> leftOut : index.leftOutIds().entrySet()) {
            topic.tombstone(leftOut.getKey(), leftOut.getValue());
            cleaned++;
        }
        return cleaned;
    }

    private boolean retry(DeadLetterIndex.Entry entry, DeadLetter deadLetter) {
        if (!redelivery.redeliver(deadLetter)) {
            return false;
        }
        topic.tombstone(entry.eventId(), entry.partition());
        return true;
    }

    /** Closes what was given to close (the producer of {@link #connect}), within the command timeout. */
    @Override
    public void close() {
        resources.run();
    }
}
