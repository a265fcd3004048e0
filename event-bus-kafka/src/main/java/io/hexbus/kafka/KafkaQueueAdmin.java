package io.hexbus.kafka;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterFilter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.Progress;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@link QueueAdmin} of one consumer group on Kafka: its statistics, per subscription too, where an event stands, and
 * its dead letters.
 *
 * <ul>
 *   <li>{@link #subscriptionStats()} and {@link #stats()} fold the workers' reports of the stats topic
 *       incrementally: each call reads only what was appended since the previous one (of either), and all of it
 *       again once an hour ({@link StatsReader}).</li>
 *   <li>{@link #eventProgress} reads bounded stretches of the group's topics ({@link KafkaEventProgress}): one
 *       dead-letter partition, at most 8,000 records of the retry tiers and the state topic.</li>
 *   <li>{@link #stats()} reads the group's lag and the dead-letter topic at each call
 *       (docs/kafka-transport.md, "Statistics").</li>
 *   <li>The dead-letter calls read the group's dead-letter topic whole, once per call, filtered ones too (at most
 *       100,000 dead letters are indexed; a page's total counts the others too); a removal is a tombstone
 *       acknowledged by the cluster before the call returns.</li>
 *   <li>{@link #retry} and {@link #retryAll} write, for each dead letter, a retry record of its failed subscriptions
 *       only, with fresh progress (attempts from zero), to the smallest retry tier, keyed by its event id and to the
 *       partition that id maps to: a dead letter retried is ordered with nothing, neither held back by the later
 *       events of its ordering key nor holding them back (docs/kafka-transport.md, "Ordering by key"); then its
 *       tombstone. The
 *       retry is due one tier's wait (1 s) after it was written, by this process's clock: a worker does not run it
 *       before the tombstone follows. A dead letter without failed subscriptions is not retried ({@code false}).</li>
 *   <li>{@link #cleanDeadLetters} judges age by this process's clock.</li>
 * </ul>
 *
 * <p>Thread-safe; every call blocks until the cluster answered, for at most a few command timeouts. A cluster that
 * cannot be used fails a call with a {@link TransportUnavailableException} naming it, one that does not answer within
 * the command timeout with a {@link TransportTimeoutException} (a write may still have happened). Arguments are
 * checked as {@link QueueAdmin} says. {@link #close()} closes its clients; calls after it fail as unavailable.
 */
public final class KafkaQueueAdmin implements QueueAdmin, AutoCloseable {

    private final KafkaQueueStats stats;
    private final KafkaDeadLetters deadLetters;
    private final KafkaEventProgress progress;
    private volatile boolean closed;

    private KafkaQueueAdmin(KafkaQueueStats stats, KafkaDeadLetters deadLetters, KafkaEventProgress progress) {
        this.stats = stats;
        this.deadLetters = deadLetters;
        this.progress = progress;
    }

    /**
     * Connects, as {@link #connect(KafkaConnectionSettings, KafkaQueueSettings, EventCodec, Duration, Function)}, for
     * an admin without the application's subscriptions: {@link #eventProgress} then names only the subscriptions the
     * records name (those of a retry's progress, a dead letter's failed ones), none for an event done.
     *
     * @param connection     where the cluster is
     * @param settings       the topics, the group and the command timeout
     * @param codec          the bus's codec: its size limit bounds the records, as for {@link KafkaEventBus}
     * @param sessionTimeout the group's session timeout: how long a worker's report counts for {@code active} and
     *                       {@code reserved}; positive
     * @return the admin; close it when done
     * @throws TransportUnavailableException if the cluster cannot be used within the command timeout
     * @throws TransportTimeoutException     if it does not answer within it
     * @throws IllegalStateException         if a topic exists with another shape, naming it and what differs
     * @throws IllegalArgumentException      if {@code sessionTimeout} is not positive
     */
    public static KafkaQueueAdmin connect(KafkaConnectionSettings connection, KafkaQueueSettings settings,
                                          EventCodec codec, Duration sessionTimeout) {
        return connect(connection, settings, codec, sessionTimeout, name -> List.of());
    }

    /**
     * Connects: creates the topics the group's administration uses when missing (the events topic, the dead-letter
     * and stats topics, the retry tiers), or checks those there, and starts an admin client and a producer
     * ({@code acks=all}, idempotent), closed by {@link #close()}.
     *
     * @param connection     where the cluster is
     * @param settings       the topics, the group and the command timeout
     * @param codec          the bus's codec: its size limit bounds the records, as for {@link KafkaEventBus}
     * @param sessionTimeout the group's session timeout: how long a worker's report counts for {@code active} and
     *                       {@code reserved}; positive
     * @param subscriptionsOf the application's subscriptions of an event name, for {@link #eventProgress}; called
     *                        on the caller's thread, must be thread-safe
     * @return the admin; close it when done
     * @throws TransportUnavailableException if the cluster cannot be used within the command timeout
     * @throws TransportTimeoutException     if it does not answer within it
     * @throws IllegalStateException         if a topic exists with another shape, naming it and what differs
     * @throws IllegalArgumentException      if {@code sessionTimeout} is not positive
     */
    public static KafkaQueueAdmin connect(KafkaConnectionSettings connection, KafkaQueueSettings settings,
                                          EventCodec codec, Duration sessionTimeout,
                                          Function<String, List<String>> subscriptionsOf) {
        Objects.requireNonNull(subscriptionsOf, "subscriptionsOf");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if (sessionTimeout.isZero() || sessionTimeout.isNegative()) {
            throw new IllegalArgumentException("sessionTimeout must be positive, got " + sessionTimeout);
        }
        String servers = connection.bootstrapServersConfig();
        int maxRecordBytes = codec.maxBytes() + KafkaCalls.RECORD_OVERHEAD;
        Map<String, Object> adminConfig = KafkaCalls.adminConfig(connection, settings);
        Admin admin;
        try {
            admin = Admin.create(adminConfig);
        } catch (KafkaException e) {
            throw new TransportUnavailableException("cannot start an admin client for Kafka at " + servers + ": "
                    + e.getMessage(), e);
        }
        Producer<String, String> producer = null;
        try {
            EventsTopic.ensure(admin, settings, maxRecordBytes, servers);
            DeadLetterTopic.ensure(admin, settings, maxRecordBytes, servers);
            StatsTopic.ensure(admin, settings, servers);
            int partitions = RetryTopics.ensure(admin, settings, maxRecordBytes, servers);
            producer = KafkaCalls.producer(KafkaCalls.producerConfig(connection, settings, maxRecordBytes), servers);
            Producer<String, String> writer = producer;
            RetryTopics retries = new RetryTopics(writer, settings, servers);
            Clock clock = Clock.systemUTC();
            KafkaQueueStats stats = new KafkaQueueStats(admin, new StatsReader(connection, settings),
                    new DeadLetterReader(connection, settings), settings, servers, sessionTimeout, clock,
                    () -> admin.close(settings.commandTimeout()));
            KafkaDeadLetters deadLetters = new KafkaDeadLetters(new DeadLetterTopic(writer, settings, servers),
                    new DeadLetterReader(connection, settings), d -> redeliver(retries, partitions, clock, d), clock,
                    KafkaDeadLetters.MAX_DEAD_LETTERS, () -> writer.close(settings.commandTimeout()));
            return new KafkaQueueAdmin(stats, deadLetters,
                    new KafkaEventProgress(admin, connection, settings, deadLetters, retries, subscriptionsOf));
        } catch (RuntimeException e) {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            admin.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * The {@link Redelivery} of this admin: a retry record of the failed subscriptions, with fresh progress, due one
     * smallest tier's wait from now, to the smallest tier. Returns false for a dead letter it cannot send back (no
     * failed subscription, or a name no subscription can have), which then stays.
     */
    static boolean redeliver(RetryTopics retries, int partitions, Clock clock, DeadLetter deadLetter) {
        List<String> only = deadLetter.failedSubscriptions();
        if (only.isEmpty() || only.stream().anyMatch(s -> s.isBlank() || s.indexOf('\n') >= 0)
                || only.stream().distinct().count() != only.size()) {
            return false;
        }
        // Keyed by the event id, not its ordering key: a dead letter retried is ordered with nothing. Under its
        // ordering key, its retry's settle would release the key held by a later event of the key waiting for its
        // own retry, and a failure of it would hold the key's events that already went past it.
        String key = deadLetter.eventId().toString();
        RetryTiers.Tier tier = RetryTiers.Tier.S1;
        // Due after the smallest tier's wait rather than at once: the dead letter's tombstone is written after this
        // returns, and a retry run and dead-lettered again before it would have its new dead letter removed.
        long dueAt = clock.millis() + tier.waitMillis();
        retries.write(tier, new RetryTopics.Retry(key, RetryTopics.partitionFor(key, partitions),
                deadLetter.eventId(), deadLetter.eventName(), deadLetter.envelope(), Progress.NONE, Optional.empty(),
                dueAt, Optional.of(only)));
        return true;
    }

    /**
     * @return the group's counters, read now (docs/kafka-transport.md, "Statistics")
     */
    @Override
    public QueueStats stats() {
        open();
        return stats.stats();
    }

    /**
     * @return per subscription, what the group's workers reported (docs/kafka-transport.md, "Subscription
     *         statistics"); reads only what was appended to the stats topic since the previous call
     */
    @Override
    public List<SubscriptionStats> subscriptionStats() {
        open();
        return stats.subscriptionStats();
    }

    /**
     * Reads the dead-letter partition the id maps to, and at most the last 8,000 records of the retry tiers and the
     * state topic, 1,000 per partition ({@link KafkaEventProgress}; docs/kafka-transport.md, "Event progress").
     *
     * @param eventId an event id
     * @return its progress, or empty when none of those records names it: never published, not taken by a worker
     *         yet, in its first round, or handled before the records read
     */
    @Override
    public Optional<EventProgress> eventProgress(UUID eventId) {
        Objects.requireNonNull(eventId, "eventId");
        open();
        return progress.progress(eventId);
    }

    /**
     * @param offset how many to skip, 0 or more
     * @param limit  how many to return, 1 to 1,000
     * @return the page, newest first by last failure
     * @throws IllegalArgumentException as {@link DeadLetterPage#checkRequest} says
     */
    @Override
    public DeadLetterPage deadLetters(int offset, int limit) {
        open();
        return deadLetters.deadLetters(offset, limit);
    }

    /**
     * Reads the dead-letter topic once, keeping where each matching dead letter is (judged by its record's headers),
     * then reads the page's records: not the interface's page-by-page scan.
     *
     * @param filter which dead letters
     * @param offset how many matching ones to skip, 0 or more
     * @param limit  how many to return, 1 to 1,000
     * @return the page, newest first by last failure; its total counts the matching ones
     * @throws IllegalArgumentException as {@link DeadLetterPage#checkRequest} says
     */
    @Override
    public DeadLetterPage deadLetters(DeadLetterFilter filter, int offset, int limit) {
        open();
        return deadLetters.deadLetters(filter, offset, limit);
    }

    /**
     * @param eventId the id of a dead-lettered event
     * @return its dead letter, or empty if there is none
     */
    @Override
    public Optional<DeadLetter> deadLetter(UUID eventId) {
        open();
        return deadLetters.deadLetter(eventId);
    }

    /**
     * Writes a retry record of the dead letter's failed subscriptions to the smallest retry tier, then its
     * tombstone.
     *
     * @param eventId the id of a dead-lettered event
     * @return true if it was queued again; false if there is no such dead letter, or it names no subscription
     */
    @Override
    public boolean retry(UUID eventId) {
        open();
        return deadLetters.retry(eventId);
    }

    /**
     * @return how many dead letters held when the call started were queued again, oldest first
     */
    @Override
    public int retryAll() {
        open();
        return deadLetters.retryAll();
    }

    /**
     * As {@link #retryAll()}, for the dead letters that match: found in one read of the dead-letter topic that keeps
     * only where each is, their records then read a batch at a time.
     *
     * @param filter which dead letters
     * @return how many were queued again, oldest first
     */
    @Override
    public int retryAll(DeadLetterFilter filter) {
        open();
        return deadLetters.retryAll(filter);
    }

    /**
     * Writes the tombstones of the dead letters that match, found in one read of the dead-letter topic that keeps
     * only their ids and partitions (those past the 100,000 indexed too).
     *
     * @param filter which dead letters
     * @return how many were removed
     */
    @Override
    public int removeAll(DeadLetterFilter filter) {
        open();
        return deadLetters.removeAll(filter);
    }

    /**
     * @param eventId the id of a dead-lettered event
     * @return true if it was removed (a tombstone written), false if there is no such dead letter
     */
    @Override
    public boolean remove(UUID eventId) {
        open();
        return deadLetters.remove(eventId);
    }

    /**
     * @param age how old a dead letter's last failure must be, by this process's clock, for it to go; positive
     * @return how many were removed
     * @throws IllegalArgumentException as {@link QueueAdmin#checkCleanAge} says
     */
    @Override
    public int cleanDeadLetters(Duration age) {
        open();
        return deadLetters.cleanDeadLetters(age);
    }

    private void open() {
        if (closed) {
            throw new TransportUnavailableException("this Kafka queue admin is closed", null);
        }
    }

    /** Closes the producer and the admin client, each within the command timeout. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            deadLetters.close();
        } finally {
            stats.close();
        }
    }
}
