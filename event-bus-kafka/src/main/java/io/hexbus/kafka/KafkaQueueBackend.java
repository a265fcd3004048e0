package io.hexbus.kafka;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressUpdate;
import io.hexbus.engine.stats.CumulativeCounts;
import io.hexbus.engine.stats.SubscriptionActivity;
import io.hexbus.engine.backend.Acknowledgement;
import io.hexbus.engine.backend.DeadLetterRecord;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.engine.backend.Fenced;
import io.hexbus.engine.backend.QueueBackend;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One worker's view of a bus on Kafka (docs/kafka-transport.md, "Mapping onto the engine's backend SPI"): a
 * {@link KafkaConsumer} of the group ({@link KafkaQueueSettings#consumerGroupId()}, {@code read_committed}, no auto
 * commit, the {@link CoPartitionedAssignor} so that partition <i>n</i> of the events and of every retry tier go to one
 * worker, and a joining worker moves only what must move) subscribed to the events topic and the group's retry tiers.
 *
 * <ul>
 *   <li><b>Leases.</b> Each assignment of a partition is a {@link PartitionOffsets} with a lease number of its own,
 *       which its deliveries carry; a settle of another lease, or after the revocation, is refused
 *       ({@link Fenced#LEASE_LOST}). A revocation waits (up to the engine's shutdown deadline) for the engine to settle
 *       the partition's deliveries, commits what is settled and loses the rest; {@link #renew} reports the ids lost.
 *       </li>
 *   <li><b>Takeovers.</b> What is with the engine is committed with each offset as its metadata, before it is
 *       handed out ({@link TakeoverLedger}); a record the previous owner listed is read again as a takeover and handed
 *       out through {@link #reclaimAbandoned}, so that the engine counts it and dead-letters it past its most
 *       takeovers. The commits are pipelined ({@link #release}); while an earlier owner's records are left to settle,
 *       this worker holds no more than {@code recoveryHold} records ({@link #room}).</li>
 *   <li><b>Events records</b> whose id the group handled ({@link HandledIds}, restored from the {@link StateTopic} on
 *       assignment) are settled without running (a duplicate: not counted here, the worker that wrote the id counted
 *       it, even if its own settle was refused); the others go through
 *       the partition's {@link KeyGate}, one per record key at a time.</li>
 *   <li><b>Retries</b> come through the same consumer: a tier's head is handed out when due, hops to its next tier,
 *       or pauses its partition until it may be ({@link RetryTiers}). A retry record that does not decode is handed
 *       out without a name, so that the engine dead-letters it.</li>
 *   <li><b>Clock</b>: due times are written and compared on the broker's clock as this worker reads it
 *       ({@link BrokerClock}: the worker's clock plus the offset measured from the append times of its writes to the
 *       retry tiers and the stats topic, both {@code LogAppendTime}; a first report at {@link #open} measures it).</li>
 *   <li><b>Settling</b>: {@link #acknowledge} writes the handled id to the state topic; {@link #reschedule} writes a
 *       retry record and the key's hold; {@link #deadLetter} writes the dead letter; then each marks the offset
 *       settled, and the fetch thread commits what is settled at the start of each fetch or idle.</li>
 * </ul>
 *
 * <p><b>Not done</b> (this is a first, simple backend): the writes and the offset commit are not one transaction, so a
 * write racing a revocation may be applied and reported lost (the record then runs again on its new owner), and a
 * crash between a retry's record and its key's hold reads the event again beside its retry (after the hold, the event
 * read again waits behind its key, then is dropped as handled); a hold is not written again when
 * a retry hops past the dedupe window. The counters go to the stats topic after each commit that follows a change
 * (so they never count what the lag still counts), besides the engine's calls; a dead letter waits up to a second
 * for that commit, since its record is counted at once, and up to a second before it is written, for a report of its
 * last round's failed attempts that counts it as settling, not held (the statistics read the dead letters before the
 * counters).
 *
 * <p>Thread-safety: as {@link QueueBackend} says. The consumer is used by the fetch thread only ({@link #open},
 * {@link #fetch}, {@link #idle}, and {@link #close} once that thread stopped); settles from other threads reach it
 * through the synchronized {@link PartitionOffsets} and a queue of changes to the key gates. Failures are the API's
 * {@link TransportUnavailableException} or its timeout subclass ({@link KafkaCalls#translate}).
 */
final class KafkaQueueBackend implements QueueBackend {

    private static final Logger log = LoggerFactory.getLogger(KafkaQueueBackend.class);

    /** The most records a partition's key gate keeps before the partition is paused. */
    static final int GATE_CAPACITY = 1_000;
    private static final Duration SHORT_POLL = Duration.ofMillis(50);
    /** The polls that wait for a commit's answer: how late at most a hand-out goes out after its listing's commit. */
    private static final Duration COMMIT_ANSWER_POLL = Duration.ofMillis(1);
    /**
     * The longest poll while recovering with records out: a settle does not end a poll, and the few records held
     * then are all the worker runs, so a freed slot is refilled this soon.
     */
    private static final Duration RECOVERY_POLL = Duration.ofMillis(5);
    /** Retries handed out that a copy is recognised against: about 100 bytes each. */
    private static final int RETRIES_REMEMBERED = 10_000;
    /** How long a dead letter waits for the fetch thread to commit its offset before its counters are reported. */
    private static final long COMMIT_WAIT_MILLIS = 1_000;
    /** How often {@link #close} wakes a fetch thread that has not let go of the consumer yet. */
    private static final long WAKEUP_REPEAT_MILLIS = 20;
    /** Kafka's default {@code max.poll.interval.ms}, kept unless the revocation wait needs more. */
    private static final long MIN_MAX_POLL_INTERVAL_MILLIS = 300_000;

    private final Map<String, Object> consumerConfig;
    private final KafkaQueueSettings settings;
    private final String servers;
    private final String worker;
    private final Producer<String, String> producer;
    private final RetryTopics retries;
    private final StateTopic state;
    private final DeadLetterTopic deadLetters;
    private final StatsTopic stats;
    private final BrokerClock clock;
    private final List<String> topics;
    private final Duration revocationWait;
    private final int recoveryHold;

    private final AtomicLong leases = new AtomicLong();
    private final Map<TopicPartition, Assigned> assigned = new ConcurrentHashMap<>();
    private final Map<String, Handed> handed = new ConcurrentHashMap<>();
    /**
     * Deliveries whose assignment ended while the engine held them: id → lease, until {@link #renew} reports them, the
     * engine settles them (refused), or the record is handed out again.
     */
    private final Map<String, Long> lost = new ConcurrentHashMap<>();
    private final RetryCopies retryCopies = new RetryCopies(RETRIES_REMEMBERED);
    /** Dead letters written whose call failed after (a later write): delivery id and lease → when written. */
    private final Map<String, Instant> deadLettersWritten = new ConcurrentHashMap<>();
    /** Deliveries being dead-lettered: their dead letter may show before their offset is committed. */
    private final Set<String> settling = ConcurrentHashMap.newKeySet();
    private final Object reportLock = new Object();
    /** Per subscription, the counts of this worker's subscription reports stored so far. */
    private final CumulativeCounts cumulativeCounts = new CumulativeCounts();
    private final GateChanges gateChanges = new GateChanges();
    private final WorkerCounters counters = new WorkerCounters();
    private final HandOuts handOuts = new HandOuts();
    private volatile boolean closing;
    /**
     * Whether the fetch thread is in the rebalance listener: {@link #close} does not wake the consumer meanwhile, so
     * that the listener's own calls (the revocation's commit) are not cancelled.
     */
    private volatile boolean inListener;
    /** Revocation commits that failed (for tests): their next owner reads those partitions from the commit before. */
    private final AtomicLong revocationCommitsFailed = new AtomicLong();
    /**
     * Held by the fetch thread in {@link #fetch} and {@link #idle}, and by {@link #close}: the revocation that closing
     * the consumer runs changes the fetch thread's own collections, so never while it is in one of those.
     */
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile boolean consumerClosed;

    // The fetch thread's own.
    private Consumer<String, String> consumer;
    private final Map<TopicPartition, Long> waitingUntil = new HashMap<>();
    private final Set<TopicPartition> unrestored = new HashSet<>();
    /** Per partition, the offset of the last commit sent (on its way or done). */
    private final Map<TopicPartition, Long> sent = new HashMap<>();
    private int commitsInFlight;
    private long reportedChanges = -1;
    private long lastCommitPass = System.nanoTime() - SHORT_POLL.toNanos(); // System.nanoTime() of the last pass
    private long lastCommitFailure = System.nanoTime() - SHORT_POLL.toNanos(); // when a commit last failed

    /**
     * @param connection     where the cluster is
     * @param settings       the topics, the group and the command timeout
     * @param sessionTimeout the group's session timeout
     * @param worker         this worker's name: its consumer's client id and its stats record's key
     * @param producer       writes the state, retry, dead-letter and stats records ({@code acks=all}, idempotent);
     *                       its owner closes it
     * @param clock          this worker's clock; due times and handled times are taken from the broker's clock,
     *                       estimated from it
     * @param revocationWait how long a revocation waits for the engine to settle the revoked partitions' deliveries
     *                       (the engine's shutdown deadline), at most half of the consumer's
     *                       {@code max.poll.interval.ms}
     * @param recoveryHold   the most records this worker holds (handed out, unsettled) while an earlier owner's are
     *                       left to settle ({@link KafkaWorkerSettings#recoveryHold()}: its handler slots and its
     *                       read-ahead while recovering; see {@link #room}), at least 1
     */
    KafkaQueueBackend(KafkaConnectionSettings connection, KafkaQueueSettings settings, Duration sessionTimeout,
                      String worker, Producer<String, String> producer, Clock clock, Duration revocationWait,
                      int recoveryHold) {
        if (recoveryHold < 1) {
            throw new IllegalArgumentException("recoveryHold must be at least 1, got " + recoveryHold);
        }
        this.recoveryHold = recoveryHold;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.worker = Objects.requireNonNull(worker, "worker");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.clock = new BrokerClock(clock);
        this.revocationWait = Objects.requireNonNull(revocationWait, "revocationWait");
        this.servers = connection.bootstrapServersConfig();
        this.retries = new RetryTopics(producer, settings, servers);
        this.state = new StateTopic(producer, connection, settings);
        this.deadLetters = new DeadLetterTopic(producer, settings, servers);
        this.stats = new StatsTopic(producer, settings, servers);
        List<String> subscribed = new ArrayList<>();
        subscribed.add(settings.eventsTopic());
        for (RetryTiers.Tier tier : RetryTiers.Tier.values()) {
            subscribed.add(RetryTopics.topic(settings, tier));
        }
        this.topics = List.copyOf(subscribed);
        int session = (int) sessionTimeout.toMillis();
        Map<String, Object> config = KafkaCalls.readerConfig(connection, settings);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.consumerGroupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, worker);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CoPartitionedAssignor.class.getName());
        int maxPoll = (int) Math.max(MIN_MAX_POLL_INTERVAL_MILLIS, revocationWait.toMillis() * 2);
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPoll);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(1, session / 3));
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        this.consumerConfig = Map.copyOf(config);
    }

    /**
     * One assignment of a partition: its offsets, the records with the engine, and for an events partition its key
     * gate and handled ids.
     */
    private record Assigned(PartitionOffsets offsets, TakeoverLedger ledger,
                            KeyGate<ConsumerRecord<String, String>> gate, HandledIds ids) {
    }

    /** A record handed to the engine under the assignment {@code lease}, and not settled yet. */
    private record Handed(TopicPartition partition, long offset, String key, boolean retry, long lease) {
    }

    @Override
    public void open() {
        try {
            consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(topics, new Listener());
        } catch (KafkaException e) {
            throw KafkaCalls.translate(e, "starting the consumer of group " + settings.consumerGroupId(), servers);
        }
        try {
            // A first report: its append time gives the broker's clock before any due time is read or written.
            writeReport();
        } catch (TransportUnavailableException e) {
            log.info("Worker {}: its first report was not written ({}); due times are read on this worker's clock"
                    + " until a write to the broker succeeds", worker, e.getMessage());
        }
    }

    @Override
    public List<Delivery> fetch(int max, Duration block) {
        fetching.lock();
        try {
            long now = clock.millis();
            maintain(now);
            List<Delivery> out = new ArrayList<>();
            int room = room(max);
            takeReady(out, room, now);
            if (out.size() < room || room == 0) {
                ConsumerRecords<String, String> records = consumer.poll(out.isEmpty() && handOuts.waiting() == 0
                        ? pollWait(block, now) : Duration.ZERO);
                takeRecords(records, max);
            }
            return release(max, System.nanoTime() + block.toNanos());
        } catch (KafkaException | IllegalStateException e) { // the second: a consumer closed meanwhile
            throw KafkaCalls.translate(e, "reading group " + settings.consumerGroupId(), servers);
        } finally {
            if (closing) {
                closeConsumer(); // close gave up waiting for this thread: it closes the consumer on its way out
            }
            fetching.unlock();
        }
    }

    @Override
    public void idle() {
        fetching.lock();
        try {
            applyGateChanges();
            commitSettled();
            consumer.pause(consumer.assignment());
            ConsumerRecords<String, String> records = consumer.poll(Duration.ZERO);
            // Partitions assigned by this poll were not paused yet: what they returned is read again later.
            for (TopicPartition partition : records.partitions()) {
                consumer.seek(partition, records.records(partition).get(0).offset());
            }
        } catch (KafkaException | IllegalStateException e) {
            throw KafkaCalls.translate(e, "polling group " + settings.consumerGroupId() + " while busy", servers);
        } finally {
            if (closing) {
                closeConsumer(); // close gave up waiting for this thread: it closes the consumer on its way out
            }
            fetching.unlock();
        }
    }

    @Override
    public List<Delivery> claimDue(int max) {
        return List.of(); // due retries come through fetch, from the retry tiers
    }

    /**
     * Hands over the records an earlier owner of a partition handed out and did not settle (listed in the metadata of
     * the offset it committed), once this worker read them again and listed them itself.
     */
    @Override
    public List<Delivery> reclaimAbandoned(int max, Set<String> held) {
        List<Delivery> out = handOuts.reclaim(max, delivery -> {
            Handed h = handed.get(delivery.id());
            return h != null && holds(h, delivery.lease());
        }, delivery -> held.contains(delivery.id()));
        out.forEach(delivery -> counters.takenOver());
        return out;
    }

    @Override
    public Set<String> renew(Collection<String> held) {
        Set<String> gone = new HashSet<>();
        for (String id : held) {
            if (lost.remove(id) != null) {
                gone.add(id);
            }
        }
        return gone;
    }

    @Override
    public Set<String> acknowledge(Collection<Acknowledgement> done) {
        Set<String> refused = new HashSet<>();
        List<Map.Entry<Acknowledgement, Handed>> current = new ArrayList<>();
        long now = clock.millis();
        List<ProducerRecord<String, String>> ids = new ArrayList<>();
        List<ProducerRecord<String, String>> releases = new ArrayList<>();
        for (Acknowledgement ack : done) {
            Delivery delivery = ack.delivery();
            Handed h = handed.get(delivery.id());
            if (h == null || !holds(h, delivery.lease())) {
                refused.add(delivery.id());
                letGo(delivery);
                continue;
            }
            UUID id = eventId(delivery.eventId());
            if (id != null) {
                ids.add(state.handledRecord(id, delivery.eventName(), h.partition().partition(), now));
            }
            if (h.retry() && h.key() != null) {
                releases.add(state.releasedRecord(h.key(), h.partition().partition()));
            }
            current.add(Map.entry(ack, h));
        }
        // Every write first, then every settle: a write that fails settles nothing, and the engine tries again (the
        // writes are idempotent). The batch's ids are sent together and awaited together (one round trip, not one
        // each), and a key is released only once the ids are written, as one by one.
        state.writeAll(ids, "recording " + ids.size() + " events as handled");
        state.writeAll(releases, "releasing " + releases.size() + " ordering keys");
        for (Map.Entry<Acknowledgement, Handed> entry : current) {
            remember(eventId(entry.getKey().delivery().eventId()), entry.getValue().partition().partition(), now);
        }
        for (Map.Entry<Acknowledgement, Handed> entry : current) {
            Acknowledgement ack = entry.getKey();
            Handed h = entry.getValue();
            Delivery delivery = ack.delivery();
            boolean settled = settle(h, delivery);
            if (!settled) {
                refused.add(delivery.id());
                letGo(delivery);
            }
            // Counted after the settle (a report then never counts what the lag still counts, unless refused), and
            // also when refused: with its id written the event is done for the group, and the partition's next owner
            // drops it as a duplicate without counting it. Without an id nothing was written: it runs again there.
            if (settled || eventId(delivery.eventId()) != null) {
                if (ack.kind() == Acknowledgement.Kind.UNHANDLED) {
                    counters.unhandled();
                } else {
                    counters.completed();
                }
            }
            if (settled) {
                gateChanges.add(h.partition().partition(), h.key(), delivery.lease(),
                        h.retry() ? GateChanges.Kind.RELEASE : GateChanges.Kind.SETTLED);
            }
        }
        counters.changed();
        return refused;
    }

    @Override
    public Fenced reschedule(Delivery delivery, ProgressUpdate update, long delayMillis, int failedAttempts) {
        Handed h = handed.get(delivery.id());
        if (h == null || !holds(h, delivery.lease())) {
            letGo(delivery);
            return Fenced.LEASE_LOST;
        }
        int partition = h.partition().partition();
        UUID id = UUID.fromString(delivery.eventId()); // the engine reschedules only events it read
        // A record without a key is ordered with nothing: its retry is keyed by its id, and holds nothing back.
        String key = h.key() != null ? h.key() : id.toString();
        Optional<List<String>> only = delivery.onlySubscriptions().isEmpty() ? Optional.empty()
                : Optional.of(delivery.onlySubscriptions().stream().sorted().toList());
        long delay = Math.max(0, delayMillis);
        // Due on the broker's clock, as this worker reads it (BrokerClock), so that a wrong worker clock moves nothing.
        long dueAt = clock.millis() + delay;
        clock.timed(() -> retries.write(RetryTiers.tierToWrite(delay), new RetryTopics.Retry(key, partition, id,
                delivery.eventName(), delivery.envelope(), delivery.progress(), Optional.of(update), dueAt, only)));
        if (h.key() != null) {
            state.hold(h.key(), id, partition);
        }
        if (!settle(h, delivery)) {
            letGo(delivery);
            return Fenced.LEASE_LOST;
        }
        counters.failedAttempts(failedAttempts);
        if (h.key() != null) {
            gateChanges.add(partition, h.key(), delivery.lease(),
                    h.retry() ? GateChanges.Kind.HOLD : GateChanges.Kind.RESCHEDULED);
        } else if (!h.retry()) {
            gateChanges.add(partition, null, delivery.lease(), GateChanges.Kind.SETTLED);
        }
        return Fenced.WRITTEN;
    }

    @Override
    public Fenced deadLetter(Delivery delivery, DeadLetterRecord record) {
        Handed h = handed.get(delivery.id());
        if (h == null || !holds(h, delivery.lease())) {
            letGo(delivery);
            return Fenced.LEASE_LOST;
        }
        settling.add(delivery.id());
        try {
            return writeDeadLetter(h, delivery, record);
        } finally {
            settling.remove(delivery.id());
        }
    }

    private Fenced writeDeadLetter(Handed h, Delivery delivery, DeadLetterRecord record) {
        // Written by an earlier try of this call whose later writes failed: not written, nor counted, again.
        String attempt = delivery.id() + "#" + delivery.lease();
        Instant now = deadLettersWritten.get(attempt);
        if (now == null) {
            try {
                // The statistics read the dead letters, then the reports: before the dead letter shows, a report
                // counts the failed attempts of its last round, and the record as settling (neither reserved nor
                // waiting).
                counters.failedAttempts(record.failedAttempts());
                counters.awaitCommitPass(COMMIT_WAIT_MILLIS); // what settled before is committed: reported
                writeReport();
                now = clock.instant();
                deadLetters.write(new DeadLetter(record.eventId(), record.eventName(), record.subscriptions(),
                        record.attempts(), record.error(), now, now, record.envelope()));
            } catch (RuntimeException e) {
                counters.failedAttempts(-record.failedAttempts()); // counted again when the engine writes it again
                throw e;
            }
            deadLettersWritten.put(attempt, now);
        }
        // A dead-lettered event is done with too: a duplicate of it is dropped (a dead-letter retry is not one).
        recordHandled(eventId(delivery.eventId()), record.eventName(), h.partition().partition(), now.toEpochMilli());
        if (h.retry() && h.key() != null) {
            state.release(h.key(), h.partition().partition());
        }
        deadLettersWritten.remove(attempt);
        boolean settled = settle(h, delivery);
        counters.deadLettered(); // written: done for the group, even if the next owner settles its offset
        if (!settled) {
            letGo(delivery);
            return Fenced.LEASE_LOST;
        }
        gateChanges.add(h.partition().partition(), h.key(), delivery.lease(),
                h.retry() ? GateChanges.Kind.RELEASE : GateChanges.Kind.SETTLED);
        try {
            // The counters that go with the dead letter follow it once its offset is committed (the lag must not
            // count it once the counters do); until then the report above counts it as settling.
            counters.awaitCommitPass(COMMIT_WAIT_MILLIS);
            writeReport();
        } catch (TransportUnavailableException e) {
            log.info("Worker {}: its report after a dead letter was not written ({}); the next one carries it",
                    worker, e.getMessage());
        }
        return Fenced.WRITTEN;
    }

    // Named in the refusal of a rate-limited subscription at worker start: this backend enforces no rate limits.
    @Override
    public String brokerName() {
        return "Kafka";
    }

    /**
     * Adds the deltas to this worker's cumulative counts and writes them, with its windows, as its subscription report
     * ({@link SubscriptionReport}), blocking until acknowledged. The counts kept grow only once a write is
     * acknowledged ({@link CumulativeCounts}): a report that failed comes again, and its cumulative write replaces
     * whatever of it was written, so nothing is counted twice.
     */
    @Override
    public void reportActivity(SubscriptionActivity activity) {
        cumulativeCounts.report(activity, totals -> clock.timed(
                () -> stats.write(new SubscriptionReport(worker, totals, activity.windows()))));
    }

    @Override
    public void reportRunning(int running) {
        counters.running(running);
        writeReport();
    }

    @Override
    public void housekeeping() {
        long now = clock.millis();
        for (Assigned a : assigned.values()) {
            if (a.ids() != null) {
                a.ids().forgetExpired(now);
            }
        }
        writeReport();
    }

    @Override
    public void close() {
        if (consumer == null) {
            return;
        }
        closing = true; // the engine let its handlers finish or gave up on them: the revocation does not wait
        // The fetch thread may outlive its join, in a long poll (or between two calls): woken, it leaves the consumer
        // and the backend, and the consumer closes once it did. Closing it meanwhile would fail (Kafka allows one
        // thread at a time), and its revocation would change the fetch thread's collections under it. Woken again and
        // again: a wakeup that a call in its rebalance listener took (and handled) does not end its poll. Not while
        // it is in the listener, whose revocation commit a wakeup would cancel (the listener tries that commit again
        // once, for a wakeup sent just before it started).
        boolean exclusive = fetching.tryLock();
        long deadline = System.nanoTime() + settings.commandTimeout().toNanos();
        try {
            while (!exclusive && !consumerClosed && System.nanoTime() < deadline) {
                if (!inListener) {
                    consumer.wakeup();
                }
                exclusive = fetching.tryLock(WAKEUP_REPEAT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (exclusive) {
                closeConsumer();
            } else if (!consumerClosed) {
                log.warn("Worker {}: its fetch thread did not let go of the consumer within {}; it closes the consumer"
                        + " when it does", worker, settings.commandTimeout());
            }
        } finally {
            if (exclusive) {
                fetching.unlock();
            }
        }
        try {
            counters.running(0);
            writeReport();
        } catch (RuntimeException e) {
            log.info("Worker {}: could not write its last report: {}", worker, e.getMessage());
        }
    }

    /** Closes the consumer once (its revocation commits what is settled); the caller holds {@link #fetching}. */
    private void closeConsumer() {
        if (consumerClosed) {
            return;
        }
        try {
            consumer.close(CloseOptions.timeout(settings.commandTimeout()));
        } catch (RuntimeException e) {
            log.warn("Worker {}: closing its Kafka consumer failed: {}", worker, e.getMessage());
        } finally {
            consumerClosed = true;
        }
    }

    /** @return whether the fetch thread is in the consumer's rebalance listener (for tests) */
    boolean inRebalanceListener() {
        return inListener;
    }

    /** @return how many revocations' commits failed (for tests) */
    long revocationCommitsFailed() {
        return revocationCommitsFailed.get();
    }

    /** @return how many deliveries this worker lost and the engine has not let go of yet (for tests) */
    int lostDeliveries() {
        return lost.size();
    }

    // ---- the fetch thread

    private void maintain(long now) {
        applyGateChanges();
        for (TopicPartition partition : List.copyOf(unrestored)) {
            restore(partition, Map.of());
        }
        if (handed.isEmpty()) {
            // Reports the counters, once the offsets they count are committed, before a poll that may wait long.
            // With records out the poll waits SHORT_POLL at most, and the commit before the hand-out (release) takes
            // these settles too: one commit round trip per fetch instead of two.
            commitSettled();
        }
        waitingUntil.values().removeIf(until -> until <= now);
        Set<TopicPartition> assignment = consumer.assignment();
        Set<TopicPartition> paused = new HashSet<>(unrestored);
        paused.addAll(waitingUntil.keySet());
        assigned.forEach((partition, a) -> {
            if (a.gate() != null && a.gate().isFull()) {
                paused.add(partition);
            }
        });
        paused.retainAll(assignment);
        Set<TopicPartition> resumed = new HashSet<>(assignment);
        resumed.removeAll(paused);
        consumer.pause(paused);
        consumer.resume(resumed);
    }

    /** The poll's wait: shorter while a tier's head comes due sooner, or a key gate has records waiting for a settle. */
    private Duration pollWait(Duration block, long now) {
        long wait = block.toMillis();
        for (long until : waitingUntil.values()) {
            wait = Math.min(wait, Math.max(0, until - now));
        }
        for (Assigned a : assigned.values()) {
            if (a.gate() != null && a.gate().size() > a.gate().readyCount()) {
                wait = Math.min(wait, SHORT_POLL.toMillis());
            }
        }
        if (!handed.isEmpty()) { // settles to commit soon: the lag in the statistics follows the counters
            wait = Math.min(wait, (recovering() ? RECOVERY_POLL : SHORT_POLL).toMillis());
        }
        return Duration.ofMillis(wait);
    }

    private void take(ConsumerRecords<String, String> records, List<Delivery> out, int max) {
        long now = clock.millis();
        Set<TopicPartition> rewound = new HashSet<>();
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, String> record : records.records(partition)) {
                Assigned a = assigned.get(partition);
                boolean taken = a != null && (a.gate() != null ? offerEvent(a, record, now)
                        : takeRetry(partition, a, record, now, out, max));
                if (!taken) {
                    // Not taken now: read again from here, at the next fetch at the earliest (maintain resumes it
                    // unless it must wait longer), not by the polls in between.
                    consumer.seek(partition, record.offset());
                    consumer.pause(List.of(partition));
                    rewound.add(partition);
                    break;
                }
            }
        }
        for (Map.Entry<TopicPartition, Assigned> e : assigned.entrySet()) {
            if (!rewound.contains(e.getKey()) && !e.getValue().offsets().isRevoked()) {
                try {
                    e.getValue().offsets().readUpTo(consumer.position(e.getKey(), Duration.ZERO));
                } catch (org.apache.kafka.common.errors.TimeoutException unknownYet) {
                    // no position yet: nothing was read there
                }
            }
        }
    }

    private boolean offerEvent(Assigned a, ConsumerRecord<String, String> record, long now) {
        boolean duplicate = isHandled(a, record, now);
        if (!duplicate && a.gate().isFull()) {
            return false;
        }
        a.offsets().handedOut(record.offset());
        if (duplicate) {
            a.offsets().settle(record.offset(), a.offsets().lease());
            a.ledger().settled(record.offset());
        } else {
            if (record.key() != null && a.gate().isHeld(record.key())) {
                a.ledger().defer(record.offset()); // behind its key's retry: no recovery to hurry for it (room)
            }
            a.gate().offer(record.key(), record);
        }
        return true;
    }

    private boolean takeRetry(TopicPartition partition, Assigned a, ConsumerRecord<String, String> record, long now,
                              List<Delivery> out, int max) {
        RetryTopics.Read read;
        try {
            read = retries.decode(record);
        } catch (IllegalArgumentException malformed) {
            if (out.size() >= max) {
                return false;
            }
            log.warn("Worker {}: retry record {} does not read ({}); handed over to be dead-lettered", worker,
                    id(partition, record.offset()), malformed.getMessage());
            out.add(handOut(partition, a, record, true, new Delivery(id(partition, record.offset()), null,
                    header(record, KafkaEventBus.ID_HEADER), record.value(), Set.of(), Progress.NONE, now,
                    record.timestamp(), a.offsets().lease())));
            return true;
        }
        RetryTopics.Retry retry = read.retry();
        Assigned events = assigned.get(new TopicPartition(settings.eventsTopic(), partition.partition()));
        if (events != null && events.ids().handledSince(retry.eventId(), read.appendMillis(), now)) {
            // A retry written twice (its write tried again after the answer was lost) whose event the other copy
            // has finished since this one was written: run, it would run again what that copy recorded done. A
            // retry written after its event was handled (a dead-letter retry) is not dropped.
            log.debug("Worker {}: retry record {} of {} is stale: its event was handled since; dropped", worker,
                    id(partition, record.offset()), retry.eventId());
            settleUnrun(a, record.offset());
            return true;
        }
        RetryTiers.Decision decision = RetryTiers.decide(read.appendMillis(), read.tier(), retry.dueAtMillis(), now);
        if (decision instanceof RetryTiers.Decision.Wait wait) {
            waitingUntil.put(partition, wait.untilMillis());
            consumer.pause(List.of(partition));
            return false;
        }
        if (decision instanceof RetryTiers.Decision.Hop hop) {
            try {
                clock.timed(() -> retries.write(hop.tier(), new RetryTopics.Retry(retry.key(), retry.partition(),
                        retry.eventId(), retry.eventName(), retry.envelope(), retry.progress(), Optional.empty(),
                        retry.dueAtMillis(), retry.only())));
            } catch (TransportUnavailableException e) {
                log.warn("Worker {}: a retry could not hop to tier {}: {}; tried again", worker, hop.tier().label(),
                        e.getMessage());
                return false;
            }
            settleUnrun(a, record.offset());
            return true;
        }
        if (out.size() >= max) {
            return false;
        }
        if (retryCopies.isCopy(retry.eventId(), retry.dueAtMillis(), id(partition, record.offset()))) {
            log.debug("Worker {}: retry record {} of {} is a copy of one handed out; dropped", worker,
                    id(partition, record.offset()), retry.eventId());
            settleUnrun(a, record.offset());
            return true;
        }
        out.add(handOut(partition, a, record, true, new Delivery(id(partition, record.offset()), retry.eventName(),
                retry.eventId().toString(), retry.envelope(), retry.only().map(Set::copyOf).orElse(Set.of()),
                retry.progress(), now, read.appendMillis(), a.offsets().lease())));
        return true;
    }

    /** Settles a retry record that goes to no handler (it hopped, or is stale). */
    private static void settleUnrun(Assigned a, long offset) {
        a.offsets().handedOut(offset);
        a.offsets().settle(offset, a.offsets().lease());
        a.ledger().settled(offset);
    }

    /**
     * Hands a record out: listed in its partition's ledger (a takeover when an earlier owner listed it), and kept
     * until that listing is committed ({@link #release}).
     */
    private Delivery handOut(TopicPartition partition, Assigned a, ConsumerRecord<String, String> record,
                             boolean retry, Delivery delivery) {
        if (retry) {
            a.offsets().handedOut(record.offset()); // events records were when they entered the gate
        }
        TakeoverLedger.HandOut listing = a.ledger().handOut(record.offset(), delivery.progress().takeovers());
        Delivery listed = !listing.takenOver() ? delivery : new Delivery(delivery.id(), delivery.eventName(),
                delivery.eventId(), delivery.envelope(), delivery.onlySubscriptions(),
                withTakeovers(delivery.progress(), listing.takeovers()), delivery.brokerNow(),
                delivery.publishedAtMillis(), delivery.lease());
        lost.remove(listed.id()); // an earlier assignment's delivery of this record: ended, and not this one
        handed.put(listed.id(), new Handed(partition, record.offset(), record.key(), retry, listed.lease()));
        handOuts.add(new HandOuts.Listed(partition, record.offset(), listed, listing.version(), listing.takenOver()));
        counters.changed();
        return listed;
    }

    private static Progress withTakeovers(Progress progress, int takeovers) {
        return new Progress(progress.done(), progress.dead(), progress.attempts(), progress.dueAt(), takeovers,
                progress.lastError());
    }

    /**
     * Commits what is settled and the ledgers, then returns the deliveries whose listing is committed; takeovers go
     * to {@link #reclaimAbandoned} instead, which the engine counts and dead-letters past its most takeovers. What a
     * commit did not cover (the group is rebalancing) stays for a later pass.
     *
     * <p>A hand-out's listing is committed before it goes out (docs/kafka-transport.md, "Takeovers"). The commits are
     * sent without waiting, and while none listing a waiting hand-out is answered yet this thread goes on reading and
     * listing, in short polls, up to {@code max} hand-outs: each commit then carries what was read during the one
     * before it, and a commit's answer (the broker's group coordinator answers after its append linger, 5 ms by
     * default) is never waited for with nothing else on its way.
     *
     * @param max      the most hand-outs, waiting ones included
     * @param deadline {@link System#nanoTime()} past which it returns, empty if nothing was committed yet
     */
    private List<Delivery> release(int max, long deadline) {
        // Settles alone wait for the next hand-out or at most SHORT_POLL, so that a fetch that hands nothing out does
        // not send a commit of its own.
        if (handOuts.waiting() > 0 || System.nanoTime() - lastCommitPass >= SHORT_POLL.toNanos()) {
            commitSettled();
        }
        List<Delivery> out = releaseCommitted();
        while (out.isEmpty() && handOuts.waiting() > 0 && !closing && System.nanoTime() - deadline < 0) {
            if (commitsInFlight == 0 && System.nanoTime() - lastCommitFailure >= SHORT_POLL.toNanos()) {
                commitSettled(); // the last one failed (the group is rebalancing): what it listed is sent again
            }
            // The commits' callbacks run inside this consumer's calls, on this thread: a short poll runs them, and
            // reads on meanwhile.
            if (takeRecords(consumer.poll(COMMIT_ANSWER_POLL), max)) {
                commitSettled();
            }
            out = releaseCommitted();
        }
        return out;
    }

    /**
     * Takes what a poll read (into the key gates, or a retry's tier) and hands out what may go, the room counted after
     * the poll: a poll may have started assignments.
     *
     * @return whether it handed anything out
     */
    private boolean takeRecords(ConsumerRecords<String, String> records, int max) {
        List<Delivery> listed = new ArrayList<>();
        int room = room(max);
        applyGateChanges(); // first: a hold queued meanwhile is in its gate when a record of its key comes in
        take(records, listed, room);
        applyGateChanges();
        takeReady(listed, room, clock.millis());
        return !listed.isEmpty();
    }

    /**
     * How many records a fetch may hand out: what the engine has room for, less what waits for its listing's commit.
     * While records an earlier owner held are left to settle (a worker died holding them), at most
     * {@link #recoveryHold} in all: every record held when a worker dies counts as a takeover, so a poison record that
     * kills worker after worker then takes only the few held with it toward the most takeovers, not a whole
     * read-ahead (docs/kafka-transport.md, "Takeovers").
     */
    private int room(int max) {
        int room = Math.max(0, max - handOuts.waiting());
        return recovering() ? Math.min(room, Math.max(0, recoveryHold - handed.size())) : room;
    }

    /** @return whether records an earlier owner held are left to settle on a partition of this worker */
    private boolean recovering() {
        for (Assigned a : assigned.values()) {
            if (a.ledger().inherits()) {
                return true;
            }
        }
        return false;
    }

    private List<Delivery> releaseCommitted() {
        return handOuts.release(listed -> {
            Assigned a = assigned.get(listed.partition());
            return a == null || a.offsets().lease() != listed.delivery().lease(); // revoked since, and withdrawn
        }, listed -> assigned.get(listed.partition()).ledger().isCommitted(listed.version()));
    }

    private void takeReady(List<Delivery> out, int max, long now) {
        for (Map.Entry<TopicPartition, Assigned> e : assigned.entrySet()) {
            Assigned a = e.getValue();
            if (a.gate() == null) {
                continue;
            }
            while (out.size() < max) {
                List<ConsumerRecord<String, String>> ready = a.gate().takeReady(1);
                if (ready.isEmpty()) {
                    break;
                }
                ConsumerRecord<String, String> record = ready.get(0);
                if (isHandled(a, record, now)) { // a duplicate that waited behind the first of its id
                    a.offsets().settle(record.offset(), a.offsets().lease());
                    a.ledger().settled(record.offset());
                    a.gate().settled(record.key());
                    continue;
                }
                out.add(handOut(e.getKey(), a, record, false, new Delivery(id(e.getKey(), record.offset()),
                        header(record, KafkaEventBus.NAME_HEADER), header(record, KafkaEventBus.ID_HEADER),
                        record.value(), Set.of(), Progress.NONE, -1, record.timestamp(), a.offsets().lease())));
            }
        }
    }

    private void applyGateChanges() {
        GateChanges.Gates gates = new GateChanges.Gates() {
            @Override
            public KeyGate<?> gate(int partition) {
                Assigned a = assigned.get(new TopicPartition(settings.eventsTopic(), partition));
                return a == null ? null : a.gate();
            }

            @Override
            public long lease(int partition) {
                return assigned.get(new TopicPartition(settings.eventsTopic(), partition)).offsets().lease();
            }
        };
        while (true) {
            try {
                gateChanges.applyTo(gates);
                return;
            } catch (IllegalStateException bug) { // that change is dropped; the others are applied
                log.error("Worker {}: a key gate refused a change", worker, bug);
            }
        }
    }

    /**
     * Commits what is settled and the ledgers, without waiting: the commit's callback (run by a later poll or commit of
     * this thread) marks the ledgers' versions committed, which {@link #release} hands out, and reports the counters
     * if they changed. A report's counters only count settles whose offsets are committed (they are read before the
     * offsets are), so the statistics never count an event both done and waiting. Kafka completes one consumer's
     * commits in order; what one that fails (the group is rebalancing) carried is sent again by a later pass.
     */
    private void commitSettled() {
        lastCommitPass = System.nanoTime();
        long seen = counters.changes();
        WorkerReport report = report(clock.millis());
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        Map<TopicPartition, Assigned> owners = new HashMap<>();
        Map<TakeoverLedger, Long> versions = new HashMap<>();
        assigned.forEach((partition, a) -> {
            long offset = a.offsets().committable();
            Long last = sent.get(partition);
            if (last == null || offset > last || a.ledger().changedSinceSent()) {
                TakeoverLedger.Snapshot snapshot = a.ledger().metadata(offset);
                commit.put(partition, new OffsetAndMetadata(offset, snapshot.text()));
                owners.put(partition, a);
                versions.put(a.ledger(), snapshot.version());
            }
        });
        long pass = counters.commitPassStarted();
        if (commit.isEmpty()) {
            if (commitsInFlight == 0) { // else what settled is in a commit on its way, whose callback reports
                reportIfChanged(seen, report);
                counters.commitPassDone(pass);
            }
            return;
        }
        commit.forEach((partition, offset) -> sent.put(partition, offset.offset()));
        versions.forEach(TakeoverLedger::sent);
        commitsInFlight++;
        OffsetCommitCallback done = (offsets, failure) -> {
            commitsInFlight--;
            if (failure == null) {
                versions.forEach(TakeoverLedger::committed);
                reportIfChanged(seen, report);
            } else {
                // Sent again by a later pass, SHORT_POLL later at the soonest (one of a partition revoked since is
                // committed by its revocation).
                lastCommitFailure = System.nanoTime();
                log.debug("Worker {}: a commit failed, sent again: {}", worker, failure.getMessage());
                owners.forEach((partition, a) -> {
                    if (assigned.get(partition) == a) {
                        sent.remove(partition);
                    }
                    a.ledger().unsent();
                });
            }
            if (commitsInFlight == 0) {
                counters.commitPassesDone(); // the passes started since, with nothing to send, too
            } else {
                counters.commitPassDone(pass);
            }
        };
        try {
            consumer.commitAsync(commit, done);
        } catch (RuntimeException e) {
            done.onComplete(commit, e); // not sent: what it carried goes with a later pass
            throw e;
        }
    }

    /** Sends the counters, if they changed since the last report, without waiting. */
    private void reportIfChanged(long seen, WorkerReport report) {
        if (seen == reportedChanges) {
            return;
        }
        reportedChanges = seen;
        long sentAt = clock.localMillis();
        producer.send(stats.record(report), (metadata, failure) -> {
            if (failure != null) {
                log.debug("Worker {}: a report was not written: {}", worker, failure.getMessage());
            } else {
                clock.acknowledged(sentAt, metadata);
            }
        });
    }

    /** @return whether it was committed (or there was nothing to commit) */
    private boolean commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return true;
        }
        try {
            consumer.commitSync(offsets, settings.commandTimeout());
            return true;
        } catch (org.apache.kafka.clients.consumer.CommitFailedException | RebalanceInProgressException e) {
            // The group is rebalancing: the revocation commits what is settled, or the next fetch does.
            log.debug("Worker {}: commit deferred by a rebalance: {}", worker, e.getMessage());
            return false;
        }
    }

    /**
     * Starts an assignment: a retry tier's partition at once; an events partition once its handled ids and held keys
     * are read. A partition that cannot be started yet stays paused, and is tried again at the next fetch.
     */
    private void restore(TopicPartition partition, Map<TopicPartition, OffsetAndMetadata> knownCommits) {
        try {
            OffsetAndMetadata commit = knownCommits.containsKey(partition) ? knownCommits.get(partition)
                    : consumer.committed(Set.of(partition), settings.commandTimeout()).get(partition);
            TakeoverLedger ledger = new TakeoverLedger(commit == null ? Map.of()
                    : TakeoverLedger.decode(commit.metadata(), commit.offset()));
            if (!partition.topic().equals(settings.eventsTopic())) {
                long position = consumer.position(partition, settings.commandTimeout());
                assigned.put(partition, new Assigned(new PartitionOffsets(leases.incrementAndGet(), position), ledger,
                        null, null));
                unrestored.remove(partition);
                return;
            }
            StateTopic.Restored restored = state.restore(partition.partition());
            KeyGate<ConsumerRecord<String, String>> gate = new KeyGate<>(GATE_CAPACITY);
            restored.heldKeys().keySet().forEach(gate::hold);
            long position = consumer.position(partition, settings.commandTimeout());
            assigned.put(partition, new Assigned(new PartitionOffsets(leases.incrementAndGet(), position), ledger,
                    gate, restored.handledIds()));
            unrestored.remove(partition);
        } catch (TransportUnavailableException | KafkaException e) {
            // Nothing of the partition is read before its ids and held keys are known: it stays paused meanwhile.
            if (unrestored.add(partition)) {
                log.warn("Worker {}: cannot start reading {} yet: {}", worker, partition, e.getMessage());
            }
            consumer.pause(List.of(partition));
        }
    }

    /**
     * Writes a report now, blocking. One at a time: a report taken before a record started settling is written before
     * the dead letter's own report, which counts it as settling (never after it, in the stats topic).
     */
    private void writeReport() {
        synchronized (reportLock) {
            clock.timed(() -> stats.write(report(clock.millis())));
        }
    }

    private WorkerReport report(long now) {
        int settlingNow = (int) settling.stream().filter(handed::containsKey).count();
        return counters.report(worker, Math.max(handed.size(), settlingNow), settlingNow, now);
    }

    /** Assignments and revocations, on the fetch thread inside poll (or the closing thread inside close). */
    private final class Listener implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            if (!partitions.isEmpty()) {
                try {
                    commits.putAll(consumer.committed(Set.copyOf(partitions), settings.commandTimeout()));
                    partitions.forEach(partition -> commits.putIfAbsent(partition, null)); // none committed
                } catch (KafkaException e) {
                    log.debug("Worker {}: committed offsets not read at once ({}); read per partition", worker,
                            e.getMessage());
                }
            }
            partitions.forEach(partition -> restore(partition, commits));
        }

        /**
         * A partition moves to another worker: what was not handed to the engine yet is withdrawn, the engine's
         * deliveries of it are waited for (up to the revocation wait; not at close, where the engine already let
         * them finish or gave up on them), then the settled offset is committed with the ledger of what is still
         * with the engine, which the next owner takes over.
         */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            inListener = true;
            try {
                revoke(Set.copyOf(partitions));
            } finally {
                inListener = false;
            }
        }

        private void revoke(Set<TopicPartition> revoked) {
            withdraw(revoked);
            if (!closing) {
                awaitSettled(revoked);
            }
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            for (TopicPartition partition : revoked) {
                Assigned a = end(partition);
                if (a != null) {
                    long offset = a.offsets().committable();
                    commit.put(partition, new OffsetAndMetadata(offset, a.ledger().metadata(offset).text()));
                }
            }
            // The engine interrupts its fetch thread as it stops: that must not cancel the commit either.
            boolean interrupted = Thread.interrupted();
            try {
                commitRevoked(commit);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void commitRevoked(Map<TopicPartition, OffsetAndMetadata> commit) {
            try {
                if (!retriedOnceOnWakeup(() -> commit(commit))) {
                    revocationCommitsFailed.incrementAndGet(); // the group is rebalancing again
                }
            } catch (KafkaException e) { // a second wakeup among them: it came from somewhere else
                revocationCommitsFailed.incrementAndGet();
                log.warn("Worker {}: committing revoked partitions failed ({}); their next owner reads them"
                        + " again from the last commit", worker, e.getMessage());
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            withdraw(Set.copyOf(partitions));
            partitions.forEach(this::end);
        }

        /** Takes back the deliveries of {@code partitions} that the engine was not given yet. */
        private void withdraw(Set<TopicPartition> partitions) {
            for (HandOuts.Listed listed : handOuts.withdraw(partitions)) {
                handed.remove(listed.delivery().id());
                Assigned a = assigned.get(listed.partition());
                if (a != null) {
                    a.ledger().withdraw(listed.offset());
                }
            }
        }

        /** Waits, up to the revocation wait in all, for the engine to settle what it holds of {@code partitions}. */
        private void awaitSettled(Set<TopicPartition> partitions) {
            long deadline = System.nanoTime() + revocationWait.toNanos();
            int left = 0;
            try {
                for (TopicPartition partition : partitions) {
                    Assigned a = assigned.get(partition);
                    if (a != null && !a.ledger().awaitSettled(deadline)) {
                        left += a.ledger().withEngine();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (left > 0) {
                log.warn("Worker {}: {} delivery(ies) of partitions moving to another worker still running after {};"
                        + " their next owner takes them over", worker, left, revocationWait);
            }
        }

        /** Ends an assignment: later settles are refused, and its deliveries with the engine are lost. */
        private Assigned end(TopicPartition partition) {
            waitingUntil.remove(partition);
            unrestored.remove(partition);
            sent.remove(partition);
            Assigned a = assigned.remove(partition);
            if (a == null) {
                return null;
            }
            for (long offset : a.offsets().revoke()) {
                String id = id(partition, offset);
                synchronized (lost) { // against letGo: a settle refused meanwhile leaves nothing in lost
                    if (handed.remove(id) != null) {
                        lost.put(id, a.offsets().lease());
                    }
                }
            }
            counters.changed();
            return a;
        }
    }

    /**
     * Makes a call of the consumer once more if a wakeup cancelled it: {@link #close} may have woken the consumer just
     * before the fetch thread entered its rebalance listener, and Kafka raises a wakeup once.
     *
     * @param call the call
     * @param <T>  what it returns
     * @return what it returned
     * @throws WakeupException if the second call was woken up too
     */
    static <T> T retriedOnceOnWakeup(Supplier<T> call) {
        try {
            return call.get();
        } catch (WakeupException first) {
            return call.get();
        }
    }

    // ---- any thread

    /** Writes that an event was handled, and remembers it for its partition's duplicates; nothing for no id. */
    private void recordHandled(UUID id, String eventName, int partition, long nowMillis) {
        if (id == null) {
            return;
        }
        state.handled(id, eventName, partition, nowMillis);
        remember(id, partition, nowMillis);
    }

    /** Remembers a handled id for its partition's duplicates, once written; nothing for no id. */
    private void remember(UUID id, int partition, long nowMillis) {
        if (id == null) {
            return;
        }
        Assigned events = assigned.get(new TopicPartition(settings.eventsTopic(), partition));
        if (events != null) {
            events.ids().add(id, nowMillis);
        }
    }

    /**
     * A settle of a lost delivery was refused: the engine lets go of it, so {@link #renew} need not report it (it
     * would be kept for ever otherwise), nor a revocation that has not reached it yet list it lost. A later
     * assignment's delivery of the same record keeps its own entries.
     */
    private void letGo(Delivery delivery) {
        synchronized (lost) {
            lost.remove(delivery.id(), delivery.lease());
            handed.computeIfPresent(delivery.id(), (id, h) -> h.lease() == delivery.lease() ? null : h);
        }
    }

    /** Whether this worker still holds the assignment the delivery was handed out under. */
    private boolean holds(Handed h, long lease) {
        Assigned a = assigned.get(h.partition());
        return a != null && a.offsets().lease() == lease && !a.offsets().isRevoked();
    }

    private boolean settle(Handed h, Delivery delivery) {
        Assigned a = assigned.get(h.partition());
        if (a == null || !a.offsets().settle(h.offset(), delivery.lease())) {
            return false;
        }
        a.ledger().settled(h.offset());
        handed.remove(delivery.id(), h);
        return true;
    }

    private static boolean isHandled(Assigned a, ConsumerRecord<String, String> record, long now) {
        UUID id = eventId(header(record, KafkaEventBus.ID_HEADER));
        return id != null && a.ids().contains(id, now);
    }

    private static UUID eventId(String text) {
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String id(TopicPartition partition, long offset) {
        return partition.topic() + "-" + partition.partition() + "@" + offset;
    }
}
