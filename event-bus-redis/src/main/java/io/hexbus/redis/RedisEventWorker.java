package io.hexbus.redis;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.FatalErrors;
import io.hexbus.api.handling.NonRetryable;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.codec.EventCodec;
import io.hexbus.codec.MalformedEventException;
import io.hexbus.codec.NewerEventVersionException;
import io.hexbus.engine.ErrorText;
import io.hexbus.engine.HandlerTimeoutException;
import io.hexbus.engine.HandlerWatchdog;
import io.hexbus.engine.JobSlots;
import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressUpdate;
import io.hexbus.engine.RoundDecision;
import io.hexbus.engine.Settlement;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consumes the stream for one consumer group and dispatches each event through the
 * {@link DomainEventsProcessor}; obtained from {@link RedisTransport#startWorker()}.
 *
 * <ul>
 *   <li><b>Per subscription:</b> each subscription of an event succeeds, retries and gives up on its own; a
 *       retry runs only the subscriptions still owed, never one that already succeeded.</li>
 *   <li><b>Retries</b> wait in a sorted set until due on the Redis clock, without holding a handler slot;
 *       a {@link NonRetryable} failure or exhausted retries send the event to the dead-letter queue.</li>
 *   <li><b>Leases:</b> an event being handled is renewed every third of the visibility timeout; an event
 *       whose worker stopped renewing is taken over by another worker (counted as a takeover, not an
 *       attempt), and dead-lettered instead once taken over more than
 *       {@link RedisQueueSettings#maxTakeovers()} times. Every acknowledgement is fenced: a worker that lost an
 *       event cannot settle it.</li>
 *   <li><b>Timeouts:</b> handlers run on the worker's job threads, timed by a watchdog; a handler past its
 *       timeout fails its attempt and the rest of its entry moves to a new thread, so it frees its slot even
 *       if it ignores the interrupt.</li>
 *   <li><b>Bad input</b> (malformed JSON, an unknown name with handlers here, a missing field, an event name
 *       outside the grammar of {@link EventTypeRegistry#NAME_PATTERN}) goes to the dead-letter queue with the
 *       reason; an event with no subscription in this application is acknowledged and counted as unhandled,
 *       per name ({@link #unhandledByName()}).</li>
 *   <li><b>Recording outcomes:</b> a retry or dead letter that Redis does not take (a cut connection, a
 *       timeout, a refusal) is written again with backoff while the worker keeps the entry and its lease, so
 *       the subscriptions that succeeded in that round do not run again; only a shutdown past its deadline
 *       gives up, leaving the round to be run again by the worker that takes the entry over.</li>
 *   <li><b>Outages:</b> reads retry with jittered backoff and log at a bounded rate; a consumer group that
 *       vanished (Redis restarted without persistence) is recreated and the possible loss is logged.</li>
 * </ul>
 *
 * <p>{@link #close()} stops fetching, lets in-flight handlers finish within the shutdown deadline, and
 * leaves the unfinished events pending for other workers. Thread-safe.
 */
public final class RedisEventWorker implements QueueWorker {

    private static final Logger log = LoggerFactory.getLogger(RedisEventWorker.class);
    private static final int CLEAN_BATCH = 1_000;
    private static final int ACK_BATCH = 512;
    private static final Duration UNHANDLED_LOG_INTERVAL = Duration.ofSeconds(10);
    // How long the fetcher waits for room before it checks again whether it is still running.
    private static final Duration ROOM_WAIT = Duration.ofMillis(100);

    private final StatefulRedisConnection<String, String> reader;
    private final RedisCommands<String, String> redis;
    private final ScriptRunner scripts;
    private final Keys keys;
    private final EventCodec codec;
    private final DomainEventsProcessor processor;
    private final RedisQueueSettings settings;
    private final String consumer;
    // Room for the entries this worker holds (read ahead, being handled, or waiting for their batched
    // acknowledgement), and one job thread per handler slot, where handlers run.
    private final JobSlots slots;
    private final HandlerWatchdog watchdog;
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final Thread acker;
    private volatile boolean ackerStopping;
    private final ScheduledExecutorService maintenance;
    private final Thread fetcher;
    private final Map<String, Delivery> inFlight = new ConcurrentHashMap<>();
    // Handlers running now (a timed-out one no longer counts: its slot moved on), reported to Redis for stats.
    private final AtomicInteger runningHandlers = new AtomicInteger();
    private int reportedRunning; // maintenance thread only
    private long reportedAtNanos; // maintenance thread only
    private final BoundedLog readProblems = new BoundedLog(log, Duration.ofSeconds(30));
    private final BoundedLog maintenanceProblems = new BoundedLog(log, Duration.ofSeconds(30));
    private final BoundedLog settleProblems = new BoundedLog(log, Duration.ofSeconds(30));
    private final BoundedLog newerVersionWaits = new BoundedLog(log, Duration.ofSeconds(10));
    private final UnhandledEvents unhandled;
    private volatile boolean running;
    // Set once the shutdown deadline passed: handlers failing from then on were interrupted, not failing.
    private volatile boolean abandoning;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    RedisEventWorker(StatefulRedisConnection<String, String> reader, RedisCommands<String, String> redis,
                     ScriptRunner scripts, Keys keys, EventCodec codec, DomainEventsProcessor processor,
                     RedisQueueSettings settings, String consumer) {
        this.reader = reader;
        this.redis = redis;
        this.scripts = scripts;
        this.keys = keys;
        this.codec = codec;
        this.processor = processor;
        this.settings = settings;
        this.consumer = consumer;
        this.unhandled = new UnhandledEvents(log, UNHANDLED_LOG_INTERVAL, consumer);
        this.slots = new JobSlots(settings.concurrency(), settings.batchSize(), "hexbus-worker-" + consumer);
        this.watchdog = new HandlerWatchdog(JobSlots.daemonThreads("hexbus-watchdog-" + consumer));
        this.maintenance = Executors.newSingleThreadScheduledExecutor(
                JobSlots.daemonThreads("hexbus-maintenance-" + consumer));
        this.fetcher = JobSlots.daemonThreads("hexbus-fetcher-" + consumer).newThread(this::fetchLoop);
        this.acker = JobSlots.daemonThreads("hexbus-acker-" + consumer).newThread(this::ackLoop);
    }

    /**
     * @return this worker's consumer name within its group, unique per process incarnation
     */
    public String consumerName() {
        return consumer;
    }

    /**
     * @return how many events this worker holds now: being handled, read ahead of its handler slots, or waiting
     *         for their acknowledgement to be written
     */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * How many entries this worker acknowledged without handling them, per event name, because no subscription
     * of this application handles that name (another application may own it). At most 1,000 names are told
     * apart; entries of further names are counted under {@code "(other names)"}. The group's total, over all
     * workers, is {@link io.hexbus.api.admin.QueueStats#unhandled()}; each entry is also reported to
     * {@link io.hexbus.api.handling.DeliveryObserver#unhandled(String)}.
     *
     * @return a snapshot, sorted by name; empty when there were none
     */
    public Map<String, Long> unhandledByName() {
        return unhandled.snapshot();
    }

    /** Starts the threads. A start that fails (the groups cannot be created) leaves none running: no close needed. */
    void start() {
        try {
            ensureGroup(keys.stream());
            ensureGroup(keys.redelivery());
        } catch (RuntimeException e) {
            watchdog.close(); // the only thread the constructor started
            throw e;
        }
        running = true;
        fetcher.start();
        acker.start();
        long poll = settings.pollInterval().toMillis();
        long renew = Math.max(1, settings.visibilityTimeout().toMillis() / 3);
        maintenance.scheduleWithFixedDelay(guarded(this::takeDueAndAbandoned), poll, poll, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(guarded(this::renewLeases), renew, renew, TimeUnit.MILLISECONDS);
        long report = Math.min(1_000, renew);
        maintenance.scheduleWithFixedDelay(guarded(this::reportRunningHandlers), report, report, TimeUnit.MILLISECONDS);
        long namesLog = UNHANDLED_LOG_INTERVAL.toMillis();
        maintenance.scheduleWithFixedDelay(guarded(unhandled::logIfDue), namesLog, namesLog, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(guarded(this::trimAndClean), 0,
                settings.maintenanceInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Worker {} consuming {} as group '{}' with {} slots", consumer, keys.stream(), settings.group(),
                settings.concurrency());
    }

    /**
     * Stops fetching, lets in-flight handlers finish within {@link RedisQueueSettings#shutdownDeadline()},
     * then interrupts the rest and leaves their events pending for another worker. Closes its connection.
     * Besides the deadline, it waits for the read in progress (up to {@code blockTimeout + commandTimeout + 1 s})
     * and for the last acknowledgements to be written (up to three command timeouts), and a few commands more,
     * each bounded by {@link RedisQueueSettings#commandTimeout()}. Idempotent: a call while another thread is
     * closing the worker returns once that close finished, so whoever closes the connections after it (the
     * transport) cannot cut off the acknowledgements of events the worker finished.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        try {
            stop();
        } finally {
            stopped.countDown();
        }
    }

    /** Waits for the close in progress; not cut short by an interrupt, since it is bounded by its deadlines. */
    private void awaitStopped() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        stopFetching();
        try {
            fetcher.join(settings.blockTimeout().plus(settings.commandTimeout()).toMillis() + 1_000);
            // Entries already read ahead are ours: they run within the deadline too. A thread still stuck in a
            // handler past its timeout holds no entry (its round moved on), so it is not waited for.
            if (!slots.drain(settings.shutdownDeadline(), inFlight::isEmpty)) {
                log.warn("Worker {}: {} event(s) still in flight after the shutdown deadline of {}; left pending"
                        + " for another worker", consumer, inFlight.size(), settings.shutdownDeadline());
                abandonQueuedJobs();
            }
            ackerStopping = true; // flushes the acknowledgements still queued, then stops
            acker.join(settings.commandTimeout().multipliedBy(3).toMillis());
        } catch (InterruptedException e) {
            abandonQueuedJobs();
            Thread.currentThread().interrupt();
        } finally {
            ackerStopping = true;
            acker.interrupt();
            maintenance.shutdownNow();
            withdrawRunningReport();
            watchdog.close();
            fetcher.interrupt();
            reader.close();
            log.info("Worker {} stopped", consumer);
        }
    }

    private void abandonQueuedJobs() {
        abandoning = true; // before the interrupts: a handler failing from now on was interrupted, not failing
        for (Runnable queued : slots.abandon()) {
            if (queued instanceof Job job) {
                release(job.delivery());
            }
        }
    }

    /** Stops taking new work, without waiting: the first step of {@link #close()}. */
    void stopFetching() {
        running = false;
    }

    @SuppressWarnings("unchecked") // Lettuce's xreadgroup takes StreamOffset<K>... varargs; one offset is safe
    private void fetchLoop() {
        Duration backoff = Duration.ZERO;
        while (running) {
            // Slots are taken per message after the read, not held while blocking: retries and takeovers
            // found by the maintenance thread must be able to get one meanwhile.
            int free = slots.awaitRoom(ROOM_WAIT);
            if (free == 0) {
                continue;
            }
            List<StreamMessage<String, String>> messages;
            try {
                messages = reader.sync().xreadgroup(Consumer.from(settings.group(), consumer),
                        XReadArgs.Builder.block(settings.blockTimeout()).count(Math.min(free, settings.batchSize())),
                        XReadArgs.StreamOffset.lastConsumed(keys.stream()));
                backoff = Duration.ZERO;
                readProblems.reset();
            } catch (RedisException e) {
                if (!running) {
                    return;
                }
                if (isNoGroup(e)) {
                    recreateGroup(keys.stream());
                } else {
                    readProblems.warn("Worker {} cannot read from Redis: {}; retrying with backoff", consumer,
                            RedisTransport.rootMessage(e));
                }
                backoff = nextBackoff(backoff);
                pause(backoff);
                continue;
            }
            // All of the batch is leased (renewed, and skipped by this worker's own takeovers) before the first
            // wait for room: the maintenance thread may hold the room meanwhile, and the entries still to be
            // dispatched must not look abandoned to its takeover, which would run them twice.
            List<Delivery> read = new ArrayList<>(messages.size());
            for (StreamMessage<String, String> message : messages) {
                Delivery delivery = new Delivery(Keys.MAIN, message.getId(), message.getBody(), Map.of(), -1);
                inFlight.put(delivery.member(), delivery);
                read.add(delivery);
            }
            for (Delivery delivery : read) {
                slots.hold();
                dispatch(delivery);
            }
        }
    }

    /** Queues a delivery for a job thread; it holds its room until settled, abandoned or acknowledged. */
    private void dispatch(Delivery delivery) {
        inFlight.put(delivery.member(), delivery);
        if (!slots.submit(new Job(delivery, null))) { // stopping
            release(delivery);
        }
    }

    private void release(Delivery delivery) {
        inFlight.remove(delivery.member(), delivery); // only this delivery: a retry may hold the same entry again
        slots.release();
    }

    /** What became of a delivery after its turn on a job thread. */
    private enum Turn {
        /** Queued for the acker, which releases it once acknowledged. */
        ACK_QUEUED,
        /** Settled (retry, dead letter), abandoned or failed: its room can be released now. */
        DONE,
        /** A handler timed out and the rest of the round moved to another thread, which releases it. */
        MOVED
    }

    /** A delivery's turn on a job thread: a new round, or the rest of a round whose handler timed out. */
    private final class Job implements Runnable {
        private final Delivery delivery;
        private final Round resumed;

        Job(Delivery delivery, Round resumed) {
            this.delivery = delivery;
            this.resumed = resumed;
        }

        Delivery delivery() {
            return delivery;
        }

        @Override
        public void run() {
            Turn turn = Turn.DONE;
            try {
                turn = resumed == null ? process(delivery) : runRound(resumed);
            } catch (Throwable e) { // a handler's failure never gets here: this is the worker's own trouble
                log.error("Worker {}: {} error on entry {}; it stays pending and will be taken over", consumer,
                        FatalErrors.isFatal(e) ? "fatal" : "unexpected", delivery.member(), e);
                if (FatalErrors.isFatal(e)) {
                    throw e; // the pool replaces this thread
                }
            } finally {
                if (turn == Turn.DONE) {
                    release(delivery);
                }
            }
        }
    }

    /** One entry every subscription finished, waiting for its batched, fenced acknowledgement. */
    private record Completion(Delivery delivery, String counter) {
    }

    private void ackLoop() {
        List<Completion> batch = new ArrayList<>();
        Duration backoff = Duration.ZERO;
        while (true) {
            try {
                if (batch.isEmpty()) {
                    Completion first = completions.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (ackerStopping) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                    completions.drainTo(batch, ACK_BATCH - 1);
                }
                acknowledge(batch);
                batch.clear();
                backoff = Duration.ZERO;
            } catch (RedisException e) {
                maintenanceProblems.warn("Worker {} cannot acknowledge {} event(s): {}; retrying", consumer,
                        batch.size(), RedisTransport.rootMessage(e));
                if (ackerStopping && !running) {
                    batch.forEach(c -> release(c.delivery())); // left pending: another worker takes them over
                    batch.clear();
                }
                backoff = nextBackoff(backoff);
                pause(backoff);
            } catch (InterruptedException e) {
                batch.forEach(c -> release(c.delivery()));
                completions.forEach(c -> release(c.delivery()));
                return;
            }
        }
    }

    /** One fenced script call per stream and counter for the whole batch. */
    private void acknowledge(List<Completion> batch) {
        Map<String, List<Completion>> groups = new LinkedHashMap<>();
        for (Completion c : batch) {
            groups.computeIfAbsent(c.delivery().tag() + " " + c.counter(), k -> new ArrayList<>()).add(c);
        }
        for (List<Completion> group : groups.values()) {
            Delivery first = group.get(0).delivery();
            String lowest = first.entryId();
            String highest = first.entryId();
            for (Completion c : group) {
                String id = c.delivery().entryId();
                lowest = StreamIds.compare(id, lowest) < 0 ? id : lowest;
                highest = StreamIds.compare(id, highest) > 0 ? id : highest;
            }
            List<String> args = new ArrayList<>(List.of(settings.group(), consumer,
                    keys.progressPrefix() + first.tag() + "|", group.get(0).counter(), lowest, highest));
            // Only an entry that failed before has a progress hash to delete; a first delivery has none.
            group.forEach(c -> args.add((c.delivery().progress().isEmpty() ? "-" : "+") + c.delivery().entryId()));
            List<Object> acked = scripts.run(Script.COMPLETE, new String[] {keys.streamOf(first.tag()),
                    keys.groupStats()}, args.toArray(String[]::new));
            for (int i = 0; i < group.size(); i++) {
                Delivery delivery = group.get(i).delivery();
                if (!Long.valueOf(1).equals(acked.get(i))) {
                    leaseLost(delivery);
                }
                release(delivery);
            }
        }
    }

    /** Handles a delivery: checks and decodes it, then runs a round of its owed subscriptions. */
    private Turn process(Delivery delivery) {
        Map<String, String> fields = delivery.fields();
        String name = fields.get("n");
        String envelope = fields.get("e");
        if (name != null && !EventNames.isValid(name)) {
            String error = "entry " + delivery.entryId() + " has an invalid event name " + EventNames.quote(name)
                    + ": an event name matches " + EventTypeRegistry.NAME_PATTERN;
            log.warn("Worker {}: {}; dead-lettered", consumer, error);
            return settleSurely(delivery, () -> deadLetter(delivery, eventIdOf(delivery), "?", List.of(), 1, error, 1));
        }
        if (name == null || envelope == null) {
            return settleSurely(delivery, () -> deadLetter(delivery, eventIdOf(delivery), name == null ? "?" : name,
                    List.of(), 1, "entry " + delivery.entryId() + " has no "
                            + (name == null ? "'n' (event name)" : "'e' (envelope)") + " field", 1));
        }
        List<Subscription> subscriptions = subscriptionsOf(delivery, name);
        if (subscriptions.isEmpty()) {
            if (fields.containsKey("s")) {
                log.warn("Redelivered event {} {} names subscriptions {} that this application no longer has;"
                        + " acknowledged", name, fields.get("i"), fields.get("s").replace('\n', ','));
            }
            processor.observer().unhandled(unhandled.count(name));
            queueAck(delivery, "unhandled");
            return Turn.ACK_QUEUED;
        }
        DomainEvent event;
        try {
            event = codec.decode(envelope);
        } catch (NewerEventVersionException e) {
            return awaitReader(delivery, name, subscriptions, e);
        } catch (MalformedEventException e) {
            return deadLetterMalformed(delivery, name, subscriptions, e.summary(), ErrorText.describe(e));
        }
        // Routing and dedupe read the entry's fields, handlers the envelope: a writer that made them differ would
        // hand subscriptions of one event another, so such an entry is malformed. Compared as values: an id in
        // upper case on both sides is the same id.
        boolean sameType = codec.eventTypes().typeOf(name).map(type -> type == event.getClass()).orElse(false);
        if (!sameType || !eventIdOf(delivery).equals(event.eventId())) {
            String error = "entry " + delivery.entryId() + " is routed as " + name + " "
                    + EventNames.quote(fields.getOrDefault("i", "")) + " but its envelope holds "
                    + event.getClass().getSimpleName() + " " + event.eventId();
            return deadLetterMalformed(delivery, name, subscriptions, error, error);
        }
        return runRound(new Round(delivery, event, subscriptions, ProgressHash.read(delivery.progress())));
    }

    private Turn deadLetterMalformed(Delivery delivery, String name, List<Subscription> subscriptions, String reason,
                                     String error) {
        List<String> owed = subscriptions.stream().map(Subscription::name).toList();
        log.warn("Worker {}: entry {} of '{}' is malformed, dead-lettered: {}", consumer, delivery.entryId(), name,
                reason);
        return settleSurely(delivery, () -> deadLetter(delivery, eventIdOf(delivery), name, owed, 1, error, 1));
    }

    /**
     * An entry of a newer event version than this code reads waits for code that reads it, attempts untouched; past
     * {@link RedisQueueSettings#newerVersionMaxWait()} after it was published it is dead-lettered instead, since a
     * pending entry holds back the stream's trimming.
     */
    private Turn awaitReader(Delivery delivery, String name, List<Subscription> subscriptions,
                             NewerEventVersionException e) {
        // The Redis clock when the entry was claimed for a retry; on a first read, this worker's: a bound of hours
        // does not mind a skew of seconds.
        long now = delivery.redisNow() >= 0 ? delivery.redisNow() : System.currentTimeMillis();
        long waitedMillis = now - StreamIds.millis(delivery.entryId());
        if (waitedMillis > settings.newerVersionMaxWait().toMillis()) {
            String error = e.getMessage() + "; no such code ran within " + settings.newerVersionMaxWait()
                    + " of its publishing: retry it from the dead-letter queue once it runs";
            return deadLetterMalformed(delivery, name, subscriptions, error, error);
        }
        long delay = settings.newerVersionDelay().toMillis();
        Progress progress = ProgressHash.read(delivery.progress());
        String line = "Worker {}: entry {} of '{}' is at version {}, newer than the version {} this service reads;"
                + " it waits {} ms for code that reads it, and is not dead-lettered";
        Object[] args = {consumer, delivery.entryId(), name, e.entryVersion(), e.readerVersion(), delay};
        // At WARN once per entry (the recorded error is the wait's own unless a subscription is dead), and at a
        // bounded rate: a deploy's backlog would otherwise repeat every delay.
        if (progress.lastError().equals(e.getMessage())) {
            log.debug(line, args);
        } else {
            newerVersionWaits.warn(line, args);
        }
        Settlement settlement = RoundDecision.awaitReader(subscriptions.stream().map(Subscription::name).toList(),
                progress, delivery.redisNow(), delay, e.getMessage());
        return apply(delivery, eventIdOf(delivery), name, settlement);
    }

    /**
     * One pass of an entry over its subscriptions that are owed and due. It is confined to one thread at a
     * time: the job thread that runs it, or, after a handler timed out, the job thread it moved to (the
     * hand-over goes through the watchdog's concurrent set and the executor's queue).
     */
    private static final class Round {
        final Delivery delivery;
        final DomainEvent event;
        final List<Subscription> subscriptions;
        final Progress progress;
        final Map<String, Throwable> failures = new LinkedHashMap<>();
        final List<String> succeeded = new ArrayList<>();
        final List<String> notYetDue = new ArrayList<>();
        int next; // the index of the next subscription to consider

        Round(Delivery delivery, DomainEvent event, List<Subscription> subscriptions, Progress progress) {
            this.delivery = delivery;
            this.event = event;
            this.subscriptions = subscriptions;
            this.progress = progress;
        }
    }

    private Turn runRound(Round round) {
        while (round.next < round.subscriptions.size()) {
            Subscription subscription = round.subscriptions.get(round.next++);
            String sub = subscription.name();
            if (round.progress.isDone(sub) || round.progress.isDead(sub)) {
                continue;
            }
            long redisNow = round.delivery.redisNow();
            if (redisNow >= 0 && round.progress.dueAt(sub) > redisNow) {
                round.notYetDue.add(sub);
                continue;
            }
            Throwable failure = attempt(round, subscription);
            if (failure == Moved.INSTANCE) {
                return Turn.MOVED;
            }
            if (failure == Abandoned.INSTANCE) {
                return Turn.DONE; // shutting down: leave the entry pending for another worker
            }
            if (failure == null) {
                round.succeeded.add(sub);
            } else {
                round.failures.put(sub, failure);
            }
        }
        return settle(round);
    }

    /**
     * Records the outcome of a round as {@link RoundDecision} settles it: queued for acknowledgement, or written
     * as a retry or a dead letter.
     */
    private Turn settle(Round round) {
        Delivery delivery = round.delivery;
        UUID eventId = round.event.eventId();
        String name = eventNameOf(delivery);
        Settlement settlement = RoundDecision.settle(
                new RoundDecision.Outcomes(round.succeeded, round.failures, round.notYetDue),
                retryPolicies(round.subscriptions), round.progress, delivery.redisNow(),
                () -> ThreadLocalRandom.current().nextDouble());
        return apply(delivery, eventId, name, settlement);
    }

    /** Logs a settlement's failed attempts and writes it: queued for acknowledgement, a retry or a dead letter. */
    private Turn apply(Delivery delivery, UUID eventId, String name, Settlement settlement) {
        for (Settlement.FailedAttempt failed : settlement.failedAttempts()) {
            if (failed.gaveUp()) {
                log.warn("Event {} {}: subscription {} gave up after attempt {}: {}", name, eventId,
                        failed.subscription(), failed.attempt(), ErrorText.summary(failed.error()));
            } else {
                log.warn("Event {} {}: subscription {} failed attempt {}, retry in {} ms: {}", name, eventId,
                        failed.subscription(), failed.attempt(), failed.retryInMillis(),
                        ErrorText.summary(failed.error()));
            }
        }
        int failedAttempts = settlement.failedAttempts().size();
        if (settlement instanceof Settlement.Reschedule retry) {
            return settleSurely(delivery, () -> reschedule(delivery, retry.delayMillis(), retry.update(),
                    failedAttempts));
        }
        if (settlement instanceof Settlement.DeadLetter dead) {
            return settleSurely(delivery, () -> deadLetter(delivery, eventId, name, dead.subscriptions(),
                    dead.attempts(), dead.error(), failedAttempts));
        }
        queueAck(delivery, "completed");
        return Turn.ACK_QUEUED;
    }

    /** Each subscription's retry policy as registered now; one removed since is not retried. */
    private Map<String, RetryPolicy> retryPolicies(List<Subscription> subscriptions) {
        Map<String, RetryPolicy> policies = new LinkedHashMap<>();
        for (Subscription s : subscriptions) {
            policies.put(s.name(), processor.subscription(s.name()).map(r -> r.options().retryPolicy())
                    .orElse(RetryPolicy.NONE));
        }
        return policies;
    }

    /** One write of a round's outcome; returns false when fencing refused it (the entry is not ours any more). */
    @FunctionalInterface
    private interface SettleWrite {
        boolean write();
    }

    /**
     * Writes a round's outcome (a retry or a dead letter) and retries it with backoff, logging at a bounded rate,
     * while Redis does not take it (a cut connection, a timeout, a refusal). Meanwhile the entry stays held, so
     * its lease is renewed and no takeover runs its round again: the successes of the round are in this write.
     * Gives up only at shutdown, once the deadline passed: the entry then stays pending, and the worker that
     * takes it over runs the round again, successes included, since they were never recorded.
     *
     * <p>It retries on the job thread, holding the slot, on purpose (not on the acknowledging thread or a queue
     * of its own): while this worker cannot record outcomes, every further handler run would be at risk of
     * running twice too, so it stops taking work (back-pressure) instead of piling up unrecorded results; a
     * slot stuck on one entry is visible in the logs; and the shutdown deadline and its interrupt already
     * bound the wait, with no other thread to stop. The first try costs what it cost before.
     */
    private Turn settleSurely(Delivery delivery, SettleWrite write) {
        int failedTries = 0;
        Duration backoff = Duration.ZERO;
        while (true) {
            try {
                if (write.write()) {
                    if (failedTries > 0) {
                        log.info("Worker {} recorded the outcome of entry {} after {} failed tries", consumer,
                                delivery.member(), failedTries);
                    }
                } else if (failedTries == 0) {
                    leaseLost(delivery);
                } else {
                    log.info("Worker {}: entry {} was no longer its own after {} failed tries to record its outcome:"
                            + " one of them was written after all, or another worker took it over", consumer,
                            delivery.member(), failedTries);
                }
                return Turn.DONE;
            } catch (RedisException e) {
                failedTries++;
                if (abandoning) {
                    return unrecordedAtShutdown(delivery, RedisTransport.rootMessage(e));
                }
                settleProblems.warn("Worker {} cannot record the outcome of entry {}: {}; it keeps the entry and"
                        + " retries", consumer, delivery.member(), RedisTransport.rootMessage(e));
                backoff = nextBackoff(backoff);
                try {
                    Thread.sleep(backoff.toMillis()); // backoff between tries, not synchronisation
                } catch (InterruptedException interrupted) {
                    if (abandoning) { // shutdown past its deadline interrupts job threads after setting it
                        return unrecordedAtShutdown(delivery, "interrupted");
                    }
                }
            }
        }
    }

    private Turn unrecordedAtShutdown(Delivery delivery, String reason) {
        log.warn("Worker {}: the outcome of entry {} was not recorded by the shutdown deadline ({}); it stays pending,"
                + " and the worker that takes it over runs its round again", consumer, delivery.member(), reason);
        return Turn.DONE;
    }

    /**
     * Runs one handler on this thread, timed by the watchdog. Returns null on success, the failure,
     * {@link Abandoned} when shutdown cut it short, or {@link Moved} when it timed out and the rest of the round
     * moved to another thread.
     */
    private Throwable attempt(Round round, Subscription subscription) {
        if (abandoning) {
            return Abandoned.INSTANCE;
        }
        long start = System.nanoTime();
        runningHandlers.incrementAndGet();
        HandlerWatchdog.Attempt timed = watchdog.begin(subscription.options().timeout(),
                () -> moveAfterTimeout(round, subscription, start));
        Throwable failure = null;
        Throwable fatal = null;
        try {
            subscription.handle(round.event);
        } catch (Throwable error) { // a handler's Error (assert, stack overflow, linkage) is its failure too
            if (FatalErrors.isFatal(error)) {
                fatal = error;
            } else {
                failure = error;
            }
        } finally {
            if (watchdog.end(timed)) {
                runningHandlers.decrementAndGet();
            } else {
                failure = Moved.INSTANCE; // and moveAfterTimeout took it off the running count
            }
        }
        if (failure == Moved.INSTANCE) {
            slots.removeReplacement(); // this thread is back: the one added in its place can go
            if (fatal != null) { // the round went on elsewhere: this thread only reports it
                log.error("Worker {}: subscription {} ended with a fatal error after its timeout", consumer,
                        subscription.name(), fatal);
            }
            return failure;
        }
        if (fatal != null) {
            throw (Error) fatal; // not an attempt: the worker's own crash, the entry is taken over
        }
        if (failure instanceof Error error && !abandoning) {
            log.warn("Worker {}: subscription {} threw {} on event {}; a failed attempt", consumer,
                    subscription.name(), error.getClass().getName(), round.event.eventId(), error);
        }
        if (failure != null && abandoning) {
            return Abandoned.INSTANCE; // interrupted by shutdown past the deadline, not failing on its own
        }
        return observed(subscription, start, failure);
    }

    /**
     * On the watchdog's thread: fails the attempt with a {@link HandlerTimeoutException} and moves the rest of
     * the round to another job thread, adding one so that the stuck handler does not take a slot.
     */
    private void moveAfterTimeout(Round round, Subscription subscription, long start) {
        runningHandlers.decrementAndGet();
        int attempt = round.progress.attempts(subscription.name()) + 1;
        round.failures.put(subscription.name(), observed(subscription, start, new HandlerTimeoutException(
                "subscription '" + subscription.name() + "' ran past its timeout of " + subscription.options().timeout()
                        + " on event " + round.event.eventId() + " (attempt " + attempt + ")")));
        slots.addReplacement();
        if (!slots.submit(new Job(round.delivery, round))) { // stopping
            release(round.delivery); // left pending: another worker takes it over
        }
    }

    private Throwable observed(Subscription subscription, long start, Throwable failure) {
        processor.observer().handled(subscription.name(), subscription.eventName(), System.nanoTime() - start,
                failure);
        return failure;
    }

    /** Hands a finished entry to the acker: the job thread moves on without waiting for the round trip. */
    private void queueAck(Delivery delivery, String counter) {
        completions.add(new Completion(delivery, counter));
    }

    /** Returns false when fencing refused it. */
    private boolean reschedule(Delivery delivery, long delayMillis, ProgressUpdate update, int failedAttempts) {
        List<String> args = new ArrayList<>(List.of(settings.group(), consumer, delivery.entryId(), delivery.member(),
                Long.toString(delayMillis), Long.toString(progressRetention().toMillis()),
                Integer.toString(failedAttempts), ConsumerNames.RETRY_WAITING));
        ProgressHash.fields(update).forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        Long recorded = scripts.run(Script.RESCHEDULE, new String[] {keys.streamOf(delivery.tag()),
                keys.progress(delivery.tag(), delivery.entryId()), keys.retrySet(), keys.groupStats()},
                args.toArray(String[]::new));
        return recorded == 1L;
    }

    /** Returns false when fencing refused it. */
    private boolean deadLetter(Delivery delivery, UUID eventId, String name, List<String> subscriptions, int attempts,
                            String error, int failedAttempts) {
        String id = eventId.toString();
        Long moved = scripts.run(Script.DEAD_LETTER, new String[] {keys.streamOf(delivery.tag()),
                keys.progress(delivery.tag(), delivery.entryId()), keys.deadLetter(id), keys.deadLetterIndex(),
                keys.groupStats(), keys.retrySet()},
                settings.group(), consumer, delivery.entryId(), delivery.member(), id,
                Long.toString(settings.deadLetterRetention().toMillis()), Integer.toString(failedAttempts),
                "eventId", id, "name", name, "subscriptions", String.join("\n", subscriptions),
                "attempts", Integer.toString(attempts), "error", error,
                "envelope", keptEnvelope(delivery), "entryId", delivery.member());
        if (moved != 1L) {
            return false;
        }
        processor.observer().deadLettered(name, subscriptions);
        log.warn("Event {} {} dead-lettered in group '{}' for subscriptions {}", name, id, settings.group(),
                subscriptions);
        return true;
    }

    // An entry over the size limit was refused for its size: the dead letter keeps only its start.
    private String keptEnvelope(Delivery delivery) {
        String envelope = delivery.fields().getOrDefault("e", "");
        return envelope.length() <= codec.maxBytes() ? envelope
                : envelope.substring(0, 4_096) + "… (truncated: " + envelope.length() + " characters)";
    }

    private void leaseLost(Delivery delivery) {
        log.warn("Worker {} lost its lease on entry {} (another worker took it over); its result is discarded",
                consumer, delivery.member());
    }

    private void takeDueAndAbandoned() {
        if (!running) {
            return;
        }
        int taken = slots.holdUpTo(settings.batchSize());
        if (taken == 0) {
            return;
        }
        List<Delivery> found = new ArrayList<>();
        List<Delivery> crashLooping = new ArrayList<>();
        try {
            found.addAll(parse(scripts.run(Script.CLAIM_DUE, new String[] {keys.retrySet(), keys.stream(),
                    keys.redelivery()}, settings.group(), consumer, Integer.toString(taken), keys.progressPrefix()),
                    true));
            for (String tag : List.of(Keys.MAIN, Keys.REDELIVERY)) {
                if (found.size() < taken) {
                    List<String> args = new ArrayList<>(List.of(settings.group(), consumer,
                            Long.toString(settings.visibilityTimeout().toMillis()),
                            Integer.toString(taken - found.size()), tag, keys.progressPrefix(),
                            ConsumerNames.RETRY_WAITING, Long.toString(forgetConsumersAfter().toMillis())));
                    args.addAll(inFlight.keySet());
                    List<Delivery> abandoned = parse(scripts.run(Script.RECLAIM, new String[] {keys.streamOf(tag),
                            keys.retrySet(), keys.groupStats()}, args.toArray(String[]::new)), false);
                    for (Delivery delivery : abandoned) {
                        Progress progress = ProgressHash.read(delivery.progress());
                        if (RoundDecision.tooManyTakeovers(progress, settings.maxTakeovers())) {
                            crashLooping.add(delivery);
                        } else {
                            log.info("Worker {} took over entry {} from a worker that stopped renewing its lease",
                                    consumer, delivery.member());
                            found.add(delivery);
                        }
                    }
                }
            }
            if (found.size() < taken) {
                found.addAll(readRedeliveries(taken - found.size()));
            }
        } finally {
            slots.release(taken - Math.min(taken, found.size()));
        }
        found.forEach(this::dispatch);
        crashLooping.forEach(this::deadLetterAfterTakeovers);
    }

    /**
     * An entry whose workers kept stopping while handling it (an event that crashes or kills its worker) is
     * not handed to another worker again: it goes to the dead-letter queue, for the subscriptions it still owes.
     */
    private void deadLetterAfterTakeovers(Delivery delivery) {
        String name = eventNameOf(delivery);
        List<String> subscriptions = subscriptionsOf(delivery, name).stream().map(Subscription::name).toList();
        Settlement.DeadLetter dead = RoundDecision.afterTakeovers(subscriptions, ProgressHash.read(delivery.progress()),
                settings.maxTakeovers());
        log.error("Worker {}: entry {} of '{}' {}; dead-lettered", consumer, delivery.member(), name, dead.error());
        if (!deadLetter(delivery, eventIdOf(delivery), name, dead.subscriptions(), dead.attempts(), dead.error(),
                0)) {
            leaseLost(delivery);
        }
    }

    /** The subscriptions here that an entry is for: all of its event's, or those a redelivery names. */
    private List<Subscription> subscriptionsOf(Delivery delivery, String name) {
        List<Subscription> subscriptions = processor.subscriptionsFor(name);
        String only = delivery.fields().get("s");
        if (only == null) {
            return subscriptions;
        }
        Set<String> named = new HashSet<>(Arrays.asList(only.split("\n")));
        return subscriptions.stream().filter(s -> named.contains(s.name())).toList();
    }

    @SuppressWarnings("unchecked") // as in fetchLoop: one StreamOffset through Lettuce's generic varargs
    private List<Delivery> readRedeliveries(int count) {
        List<StreamMessage<String, String>> messages;
        try {
            messages = redis.xreadgroup(Consumer.from(settings.group(), consumer), XReadArgs.Builder.count(count),
                    XReadArgs.StreamOffset.lastConsumed(keys.redelivery()));
        } catch (RedisException e) {
            if (isNoGroup(e)) {
                recreateGroup(keys.redelivery());
                return List.of();
            }
            throw e;
        }
        List<Delivery> deliveries = new ArrayList<>();
        for (StreamMessage<String, String> message : messages) {
            deliveries.add(new Delivery(Keys.REDELIVERY, message.getId(), message.getBody(), Map.of(), -1));
        }
        return deliveries;
    }

    @SuppressWarnings("unchecked")
    private static List<Delivery> parse(List<Object> items, boolean withRedisNow) {
        List<Delivery> deliveries = new ArrayList<>();
        for (Object item : items) {
            List<Object> parts = (List<Object>) item;
            Map<String, String> fields = pairs((List<Object>) parts.get(2));
            Map<String, String> progress = pairs((List<Object>) parts.get(3));
            long now = withRedisNow ? ((Long) parts.get(4)) : -1;
            deliveries.add(new Delivery((String) parts.get(0), (String) parts.get(1), fields, progress, now));
        }
        return deliveries;
    }

    private static Map<String, String> pairs(List<Object> flat) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return map;
    }

    private void renewLeases() {
        Map<String, List<String>> byTag = new HashMap<>();
        inFlight.values().forEach(d -> byTag.computeIfAbsent(d.tag(), t -> new ArrayList<>()).add(d.entryId()));
        byTag.forEach((tag, ids) -> {
            List<String> args = new ArrayList<>(List.of(settings.group(), consumer, ConsumerNames.RETRY_WAITING));
            args.addAll(ids);
            List<Object> renewed = scripts.run(Script.RENEW, new String[] {keys.streamOf(tag)},
                    args.toArray(String[]::new));
            for (int i = 0; i < renewed.size(); i++) {
                // -1 is an entry settled since it was listed (acknowledged, dead-lettered or rescheduled): not lost.
                // Entries queued for acknowledgement stay in the renewal set: their lease must hold until the
                // acknowledgement is written, however long Redis takes to accept it.
                if (Long.valueOf(0).equals(renewed.get(i))) {
                    log.warn("Worker {} could not renew its lease on entry {}: another worker took it over",
                            consumer, Keys.member(tag, ids.get(i)));
                }
            }
        });
    }

    /**
     * Publishes how many handlers run here, for {@link RedisQueueAdmin#stats()}: only when the count changed,
     * or to keep a non-zero count from lapsing, so an idle worker writes nothing and a busy one about once a
     * second. The report lapses after the visibility timeout, so a worker that died stops counting when its
     * events are taken over.
     */
    private void reportRunningHandlers() {
        int running = runningHandlers.get();
        long refresh = settings.visibilityTimeout().toNanos() / 3;
        if (running == reportedRunning && (running == 0 || System.nanoTime() - reportedAtNanos < refresh)) {
            return;
        }
        scripts.run(Script.REPORT_ACTIVE, new String[] {keys.activeHandlers()}, consumer, Integer.toString(running),
                Long.toString(settings.visibilityTimeout().toMillis()));
        reportedRunning = running;
        reportedAtNanos = System.nanoTime();
    }

    /** At close: removes this worker's report at once instead of letting it lapse. */
    private void withdrawRunningReport() {
        try {
            // A report being written now must not land after the withdrawal.
            maintenance.awaitTermination(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            scripts.run(Script.REPORT_ACTIVE, new String[] {keys.activeHandlers()}, consumer, "0",
                    Long.toString(settings.visibilityTimeout().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RedisException e) {
            log.info("Worker {} could not withdraw its count of running handlers ({}); it lapses after {}", consumer,
                    RedisTransport.rootMessage(e), settings.visibilityTimeout());
        }
    }

    private void trimAndClean() {
        String keepCount = Integer.toString(settings.keepFinishedCount());
        String keepAge = Long.toString(settings.keepFinishedAge().toMillis());
        scripts.run(Script.TRIM, new String[] {keys.stream()}, keepCount, keepAge);
        scripts.run(Script.TRIM, new String[] {keys.redelivery()}, keepCount, keepAge);
        scripts.run(Script.CLEAN_DEAD_LETTERS, new String[] {keys.deadLetterIndex(), keys.groupStats()},
                Long.toString(settings.deadLetterRetention().toMillis()), keys.deadLetterPrefix(),
                Integer.toString(CLEAN_BATCH));
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
                maintenanceProblems.reset();
            } catch (RedisException e) {
                if (isNoGroup(e)) {
                    recreateGroup(keys.stream());
                    recreateGroup(keys.redelivery());
                } else {
                    maintenanceProblems.warn("Worker {}: maintenance against Redis failed: {}", consumer,
                            RedisTransport.rootMessage(e));
                }
            } catch (RuntimeException e) {
                log.error("Worker {}: maintenance failed", consumer, e);
            } catch (Error e) {
                // Logged, never rethrown: a periodic task that throws is silently never run again, and without
                // its renewals every slow handler here would be taken over and run twice.
                log.error("Worker {}: maintenance failed{}", consumer, FatalErrors.isFatal(e) ? " (fatal error)" : "",
                        e);
            }
        };
    }

    private void ensureGroup(String stream) {
        try {
            redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), settings.group(),
                    XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException e) {
            if (!isGroupExists(e)) {
                throw e; // "BUSY Redis is busy running a script": the group may not exist at all
            }
            // BUSYGROUP: another worker created it first.
        }
    }

    /** Lettuce raises one exception class for every reply starting with "BUSY"; only BUSYGROUP means it exists. */
    static boolean isGroupExists(RedisException e) {
        return e.getMessage() != null && e.getMessage().startsWith("BUSYGROUP");
    }

    private void recreateGroup(String stream) {
        try {
            ensureGroup(stream);
            log.error("Consumer group '{}' of {} was missing (Redis restarted without persistence, or the key was"
                    + " evicted or deleted) and was recreated from the start of the stream: events published"
                    + " before the loss may be gone", settings.group(), stream);
        } catch (RedisException e) {
            readProblems.warn("Worker {} cannot recreate consumer group '{}' of {}: {}", consumer, settings.group(),
                    stream, RedisTransport.rootMessage(e));
        }
    }

    private static boolean isNoGroup(RedisException e) {
        return e instanceof RedisCommandExecutionException && e.getMessage() != null
                && e.getMessage().startsWith("NOGROUP");
    }

    private UUID eventIdOf(Delivery delivery) {
        try {
            return UUID.fromString(delivery.fields().getOrDefault("i", ""));
        } catch (IllegalArgumentException e) {
            // No usable id: name the dead letter after the entry, stably.
            return UUID.nameUUIDFromBytes(delivery.member().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String eventNameOf(Delivery delivery) {
        return delivery.fields().getOrDefault("n", "?");
    }

    /**
     * How long a consumer that holds nothing may go unseen before the takeover scan deletes it: far longer than
     * a live worker ever goes without reading, and deleting one loses nothing anyway (a read recreates it).
     */
    private Duration forgetConsumersAfter() {
        Duration liveBound = settings.blockTimeout().plus(settings.visibilityTimeout()).multipliedBy(2);
        return liveBound.compareTo(Duration.ofHours(1)) > 0 ? liveBound : Duration.ofHours(1);
    }

    private Duration progressRetention() {
        return settings.dedupeWindow();
    }

    private static Duration nextBackoff(Duration previous) {
        long next = previous.isZero() ? 100 : Math.min(5_000, previous.toMillis() * 2);
        return Duration.ofMillis(next / 2 + ThreadLocalRandom.current().nextLong(next / 2 + 1));
    }

    private void pause(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis()); // backoff between reconnect attempts, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Marks an attempt that timed out and whose round moved to another thread. */
    private static final class Moved extends Throwable {
        private static final long serialVersionUID = 1L;
        static final Moved INSTANCE = new Moved();

        private Moved() {
            super("moved after a timeout", null, false, false);
        }
    }

    /** Marks an attempt cut short by shutdown: not a failure, the entry stays pending. */
    private static final class Abandoned extends Throwable {
        private static final long serialVersionUID = 1L;
        static final Abandoned INSTANCE = new Abandoned();

        private Abandoned() {
            super("abandoned at shutdown", null, false, false);
        }
    }
}
