package io.hexbus.engine.worker;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.FatalErrors;
import io.hexbus.api.handling.NonRetryable;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.HandlerWatchdog;
import io.hexbus.engine.JobSlots;
import io.hexbus.engine.RoundDecision;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.engine.backend.EnvelopeReader;
import io.hexbus.engine.backend.QueueBackend;
import io.hexbus.engine.stats.SubscriptionActivity;
import io.hexbus.engine.stats.SubscriptionTally;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A worker of a queued transport: takes messages from its {@link QueueBackend} while it has room, and runs each
 * through the {@link DomainEventsProcessor}'s subscriptions on its job threads. Every queued transport runs this
 * one worker on its own backend.
 *
 * <ul>
 *   <li><b>Per subscription:</b> each subscription of an event succeeds, retries and gives up on its own; a
 *       retry runs only the subscriptions still owed, never one that already succeeded.</li>
 *   <li><b>Retries</b> wait on the broker until due, without holding a handler slot; a {@link NonRetryable}
 *       failure or exhausted retries send the event to the dead-letter store ({@link RoundDecision}).</li>
 *   <li><b>Leases:</b> a held message is renewed every third of the visibility timeout; one whose worker
 *       stopped renewing is taken over by another worker (a takeover, not an attempt), and dead-lettered instead
 *       once taken over more than {@link EngineSettings#maxTakeovers()} times. Every write is fenced: a worker that
 *       lost a message cannot settle it.</li>
 *   <li><b>Rate limits:</b> a subscription with a {@link io.hexbus.api.handling.RateLimit} runs only with a permit
 *       from the backend, counted across the group's workers; without one it is postponed (not failed, its attempts
 *       unchanged) until the broker expects room, waiting on the broker like a retry while the event's other
 *       subscriptions run. A backend that does not enforce rate limits is refused at {@link #start()}.</li>
 *   <li><b>Timeouts:</b> handlers run on the worker's job threads, timed by a watchdog; a handler past its
 *       timeout fails its attempt and the rest of its round moves to a new thread, so it frees its slot even if
 *       it ignores the interrupt.</li>
 *   <li><b>Bad input</b> (an envelope that cannot be read, a missing field, a name outside the grammar) goes to
 *       the dead-letter store with the reason; an event with no subscription in this application is acknowledged
 *       and counted as unhandled, per name ({@link #unhandledByName()}).</li>
 *   <li><b>Recording outcomes:</b> a retry or dead letter the broker does not take is written again with backoff
 *       while the worker keeps the message and its lease, so the subscriptions that succeeded in that round do
 *       not run again; only a shutdown past its deadline gives up.</li>
 *   <li><b>Outages:</b> reads retry with jittered backoff and log at a bounded rate.</li>
 * </ul>
 *
 * <p>It logs under this class's name. {@link #close()} stops fetching, lets in-flight handlers finish within the
 * shutdown deadline, and leaves the rest to lapse for other workers. Thread-safe.
 */
public final class EngineWorker implements QueueWorker {

    private static final Logger log = LoggerFactory.getLogger(EngineWorker.class);
    private static final Duration UNHANDLED_LOG_INTERVAL = Duration.ofSeconds(10);
    // How long the fetcher waits for room before it checks again whether it is still running.
    private static final Duration ROOM_WAIT = Duration.ofMillis(100);

    private final QueueBackend backend;
    private final DomainEventsProcessor processor;
    private final EngineSettings settings;
    private final String name;
    private final Holdings holdings;
    private final HandlerWatchdog watchdog;
    private final Acknowledger acknowledger;
    private final Settler settler;
    private final Rounds rounds;
    private final UnhandledEvents unhandled;
    private final ScheduledExecutorService maintenance;
    private final Thread fetcher;
    private final BoundedLog readProblems = new BoundedLog(log, Duration.ofSeconds(30));
    private final BoundedLog maintenanceProblems = new BoundedLog(log, Duration.ofSeconds(30));
    private List<String> reportedRunning = List.of(); // reporting thread only
    private long reportedAtNanos; // reporting thread only
    private final SubscriptionTally tally = new SubscriptionTally(SubscriptionActivity.WINDOW, System::nanoTime);
    private long activityReportedAtNanos; // reporting thread only
    private volatile boolean reportedWindows; // written by the reporting thread, read at close
    // A report whose storing failed: sent again as it was before any later one; reporting thread, then close.
    private volatile SubscriptionActivity unconfirmed;
    // Reports wait for the broker's acknowledgement: on a thread of their own, never delaying lease renewals.
    private final ScheduledExecutorService reporting;
    private volatile boolean running;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * Creates a worker; {@link #start()} starts it.
     *
     * @param backend   this worker's view of the queue, which it closes at its own close
     * @param reader    reads envelopes into events (the transport's codec)
     * @param processor the subscriptions it runs
     * @param settings  how it works
     * @param name      its name within the queue, unique per process incarnation; in its threads' names and logs
     */
    public EngineWorker(QueueBackend backend, EnvelopeReader reader, DomainEventsProcessor processor,
                        EngineSettings settings, String name) {
        this.backend = backend;
        this.processor = processor;
        this.settings = settings;
        this.name = name;
        this.holdings = new Holdings(new JobSlots(settings.concurrency(), settings.readAhead(), "hexbus-worker-" + name));
        this.unhandled = new UnhandledEvents(log, UNHANDLED_LOG_INTERVAL, name);
        this.acknowledger = new Acknowledger(backend, holdings, log, name);
        this.watchdog = new HandlerWatchdog(JobSlots.daemonThreads("hexbus-watchdog-" + name));
        // The settler and the rounds share the abandoning flag, which the rounds own.
        Rounds[] roundsRef = new Rounds[1];
        this.settler = new Settler(backend, acknowledger, processor, log, name, reader.maxBytes(),
                () -> roundsRef[0].abandoning(), tally);
        this.rounds = new Rounds(processor, reader, holdings, watchdog, settler, new Permits(backend, log, name),
                unhandled, settings, log, name, tally);
        roundsRef[0] = rounds;
        this.maintenance = Executors.newSingleThreadScheduledExecutor(
                JobSlots.daemonThreads("hexbus-maintenance-" + name));
        this.reporting = Executors.newSingleThreadScheduledExecutor(JobSlots.daemonThreads("hexbus-reports-" + name));
        this.fetcher = JobSlots.daemonThreads("hexbus-fetcher-" + name).newThread(this::fetchLoop);
    }

    /**
     * Opens the backend and starts the threads. A start that fails leaves none running: no close needed.
     *
     * <p>A subscription registered with a {@link io.hexbus.api.handling.RateLimit} is refused here when the backend
     * does not enforce rate limits; one registered after the start fails each event non-retryably instead (it is
     * dead-lettered with the same reason), never runs unlimited.
     *
     * @throws TransportUnavailableException if the backend cannot be opened
     * @throws IllegalStateException         naming the subscription and the broker, if a subscription has a rate
     *                                       limit that the backend does not enforce
     */
    public void start() {
        try {
            Permits.checkEnforceable(backend, processor);
            backend.open();
        } catch (RuntimeException e) {
            watchdog.close(); // the only thread the constructor started
            backend.close();
            throw e;
        }
        running = true;
        // Before the first read: messages are then dispatched from the client's thread, which must not start them.
        holdings.slots().prestart();
        fetcher.start();
        acknowledger.start();
        long poll = settings.pollInterval().toMillis();
        long renew = Math.max(1, settings.visibilityTimeout().toMillis() / 3);
        // Releasing due delayed messages takes no slot: a task of its own, run whatever room there is.
        maintenance.scheduleWithFixedDelay(guarded(this::releaseDue), poll, poll, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(guarded(this::takeDueAndAbandoned), poll, poll, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(guarded(this::renewLeases), renew, renew, TimeUnit.MILLISECONDS);
        long report = Math.min(1_000, renew);
        reporting.scheduleWithFixedDelay(guarded(this::reportRunningHandlers), report, report, TimeUnit.MILLISECONDS);
        reporting.scheduleWithFixedDelay(guarded(this::reportActivity), report, report, TimeUnit.MILLISECONDS);
        long namesLog = UNHANDLED_LOG_INTERVAL.toMillis();
        maintenance.scheduleWithFixedDelay(guarded(unhandled::logIfDue), namesLog, namesLog, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(guarded(backend::housekeeping), 0,
                settings.maintenanceInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Worker {} consuming with {} slots", name, settings.concurrency());
    }

    /**
     * @return this worker's name within its queue, unique per process incarnation
     */
    public String name() {
        return name;
    }

    /**
     * @return how many messages this worker holds now: being handled, read ahead of its handler slots, or waiting
     *         for their acknowledgement to be written
     */
    public int inFlight() {
        return holdings.size();
    }

    /**
     * How many messages this worker acknowledged without handling them, per event name, because no subscription
     * of this application handles that name (another application may own it). At most 1,000 names are told
     * apart; messages of further names are counted under {@code "(other names)"}. The group's total, over all
     * workers, is {@link io.hexbus.api.admin.QueueStats#unhandled()}; each one is also reported to
     * {@link io.hexbus.api.handling.DeliveryObserver#unhandled(String)}.
     *
     * @return a snapshot, sorted by name; empty when there were none
     */
    public Map<String, Long> unhandledByName() {
        return unhandled.snapshot();
    }

    /**
     * Stops fetching, lets in-flight handlers finish within {@link EngineSettings#shutdownDeadline()}, then
     * interrupts the rest and leaves their messages to lapse for another worker; closes the backend. Besides the
     * deadline, it waits for the fetch in progress (up to {@code blockTimeout + commandTimeout + 1 s}) and for the
     * last acknowledgements to be written (up to three command timeouts), and a few calls more, each bounded by
     * {@link EngineSettings#commandTimeout()}. Idempotent: a call while another thread is closing the worker
     * returns once that close finished, so whoever closes the broker's connections after it (the transport)
     * cannot cut off the acknowledgements of messages the worker finished.
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

    /** Stops taking new work, without waiting: the first step of {@link #close()}, for closing many at once. */
    public void stopFetching() {
        running = false;
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
            // Messages already read ahead are ours: they run within the deadline too. A thread still stuck in a
            // handler past its timeout holds no message (its round moved on), so it is not waited for.
            if (!holdings.slots().drain(settings.shutdownDeadline(), holdings::isEmpty)) {
                log.warn("Worker {}: {} event(s) still in flight after the shutdown deadline of {}; left pending"
                        + " for another worker", name, holdings.size(), settings.shutdownDeadline());
                rounds.abandon();
            }
            acknowledger.stop(settings.commandTimeout().multipliedBy(3)); // writes what is queued, then stops
        } catch (InterruptedException e) {
            rounds.abandon();
            Thread.currentThread().interrupt();
        } finally {
            acknowledger.interrupt();
            maintenance.shutdownNow();
            reporting.shutdownNow();
            withdrawReports();
            watchdog.close();
            fetcher.interrupt();
            backend.close();
            log.info("Worker {} stopped", name);
        }
    }

    private void fetchLoop() {
        Duration backoff = Duration.ZERO;
        while (running) {
            // Slots are taken per message after the read, not held while blocking: retries and takeovers
            // found by the maintenance thread must be able to get one meanwhile.
            int free = holdings.slots().awaitRoom(ROOM_WAIT);
            if (free == 0) {
                idle();
                continue;
            }
            List<Delivery> read;
            Arrivals arrivals = new Arrivals();
            try {
                read = backend.fetch(Math.min(free, settings.readLimit()), settings.blockTimeout(), arrivals);
                backoff = Duration.ZERO;
                readProblems.reset();
            } catch (RuntimeException e) {
                dispatchRest(arrivals.settle(null)); // an answer that came as the read failed is ours all the same
                if (!running) {
                    return;
                }
                if (e instanceof TransportUnavailableException) {
                    readProblems.warn("Worker {} cannot read: {}; retrying with backoff", name, e.getMessage());
                } else {
                    log.error("Worker {}: reading failed; retrying with backoff", name, e);
                }
                backoff = Backoff.next(backoff);
                if (!Backoff.pause(backoff)) {
                    running = false;
                }
                continue;
            }
            dispatchRest(arrivals.settle(read));
        }
    }

    /**
     * Dispatches what the backend's thread did not, waiting for room. All of the batch is held (renewed, and skipped
     * by this worker's own takeovers) before the first wait for room: the maintenance thread may hold the room
     * meanwhile, and the messages still to be dispatched must not look abandoned to its takeover, which would run
     * them twice.
     */
    private void dispatchRest(List<Delivery> rest) {
        if (rest == null) {
            return;
        }
        rest.forEach(holdings::hold);
        for (Delivery delivery : rest) {
            holdings.slots().hold();
            rounds.dispatch(delivery);
        }
    }

    /**
     * The messages of one fetch as the backend hands them over on its client's thread, the moment its answer is in:
     * each is dispatched there while there is room without waiting, so that its job thread starts without this
     * worker's fetcher waking first (one thread hand-off less between the broker's answer and the handler). The
     * fetcher then {@linkplain #settle settles} the fetch and dispatches the rest itself, waiting for room.
     */
    private final class Arrivals implements Consumer<List<Delivery>> {
        private List<Delivery> batch; // guarded by this
        private int dispatched; // guarded by this
        private boolean settled; // guarded by this

        @Override
        public synchronized void accept(List<Delivery> arrived) {
            if (settled || batch != null) {
                // Past the fetch, which failed (timed out) just as they came: never held, they lapse and are taken
                // over, as the entries of any answer the worker did not wait for.
                return;
            }
            batch = arrived;
            arrived.forEach(holdings::hold); // all of them before any dispatch, as dispatchRest does
            while (dispatched < arrived.size() && holdings.slots().tryHold()) {
                rounds.dispatch(arrived.get(dispatched++));
            }
        }

        /**
         * Ends the fetch: from now on nothing more is taken from the backend's thread.
         *
         * @param read what the fetch returned, null if it threw
         * @return what is left to dispatch: the rest of what arrived, or all of {@code read} if nothing did; null if
         *         neither
         */
        synchronized List<Delivery> settle(List<Delivery> read) {
            settled = true;
            return batch == null ? read : batch.subList(dispatched, batch.size());
        }
    }

    /** Lets the backend service its connection while there is no room; its failure only waits for the next try. */
    private void idle() {
        try {
            backend.idle();
        } catch (RuntimeException e) {
            if (e instanceof TransportUnavailableException) {
                readProblems.warn("Worker {} cannot keep its connection alive: {}", name, e.getMessage());
            } else {
                log.error("Worker {}: the backend failed while idle", name, e);
            }
        }
    }

    private void releaseDue() {
        if (running) {
            backend.releaseDue();
        }
    }

    private void takeDueAndAbandoned() {
        if (!running) {
            return;
        }
        int taken = holdings.slots().holdUpTo(settings.readLimit());
        if (taken == 0) {
            return;
        }
        List<Delivery> found = new ArrayList<>();
        List<Delivery> crashLooping = new ArrayList<>();
        RuntimeException failure = null;
        try {
            // Takeovers first: a message whose worker died has waited a whole visibility timeout already, and a
            // backlog of due retries or dead-letter retries must not keep it waiting longer.
            for (Delivery delivery : backend.reclaimAbandoned(taken, holdings.ids())) {
                if (RoundDecision.tooManyTakeovers(delivery.progress(), settings.maxTakeovers())) {
                    crashLooping.add(delivery);
                } else {
                    log.info("Worker {} took over entry {} from a worker that stopped renewing its lease", name,
                            delivery.id());
                    found.add(delivery);
                }
            }
            if (found.size() < taken) {
                found.addAll(backend.claimDue(taken - found.size()));
            }
        } catch (RuntimeException e) {
            failure = e; // what was taken before the failure is leased to this worker: it is dispatched all the same
        } finally {
            holdings.slots().release(taken - Math.min(taken, found.size()));
        }
        found.forEach(rounds::dispatch);
        for (Delivery delivery : crashLooping) {
            settler.deadLetterAfterTakeovers(delivery,
                    rounds.subscriptionsOf(delivery).stream().map(Subscription::name).toList(),
                    settings.maxTakeovers());
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void renewLeases() {
        Set<String> held = holdings.ids();
        if (held.isEmpty()) {
            return;
        }
        // Messages queued for acknowledgement stay held: their lease must hold until the acknowledgement is
        // written, however long the broker takes to accept it. A message settled since it was listed is not lost.
        for (String lost : backend.renew(held)) {
            log.warn("Worker {} could not renew its lease on entry {}: another worker took it over", name, lost);
        }
    }

    /**
     * Reports which messages have handlers running here, only when that changed or to keep a non-zero count from
     * lapsing, so an idle worker writes nothing and a busy one about once a second. The ids, not only the count: a
     * backend over several queues counts each queue's own.
     */
    private void reportRunningHandlers() {
        List<String> now = rounds.runningIds();
        long refresh = settings.visibilityTimeout().toNanos() / 3;
        if (now.equals(reportedRunning) && (now.isEmpty() || System.nanoTime() - reportedAtNanos < refresh)) {
            return;
        }
        backend.reportRunning(now);
        reportedRunning = now;
        reportedAtNanos = System.nanoTime();
    }

    /**
     * Reports the subscriptions' counts when some are new, and their windows every few seconds while they hold runs
     * (and once when they emptied), so an idle worker writes nothing.
     */
    private void reportActivity() {
        if (unconfirmed != null) {
            store(unconfirmed);
        }
        SubscriptionActivity activity = tally.activity();
        boolean windows = !activity.windows().isEmpty();
        boolean windowsDue = (windows || reportedWindows)
                && System.nanoTime() - activityReportedAtNanos >= SubscriptionActivity.REFRESH.toNanos();
        if (activity.counts().isEmpty() && !windowsDue) {
            return;
        }
        unconfirmed = activity;
        store(activity);
        reportedWindows = windows;
        activityReportedAtNanos = System.nanoTime();
    }

    private void store(SubscriptionActivity activity) {
        backend.reportActivity(activity);
        tally.reported(activity);
        unconfirmed = null;
    }

    /**
     * At close: withdraws this worker's reports at once instead of letting them lapse: no running handler, and the
     * last counts without windows, so a stopped worker's runs leave the durations. Only once the reporting thread has
     * stopped: a report it is still writing must neither land after the withdrawal nor share the tally.
     */
    private void withdrawReports() {
        try {
            maintenance.awaitTermination(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!reporting.awaitTermination(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("Worker {} was still writing a report at close; its reports lapse after {}", name,
                        SubscriptionActivity.LAPSE);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            backend.reportRunning(List.of());
        } catch (TransportUnavailableException e) {
            log.info("Worker {} could not withdraw its count of running handlers ({}); it lapses after {}", name,
                    e.getMessage(), settings.visibilityTimeout());
        }
        try {
            if (unconfirmed != null) {
                store(unconfirmed.withoutWindows());
            }
            SubscriptionActivity last = tally.activity();
            if (!last.counts().isEmpty() || reportedWindows) {
                store(last.withoutWindows());
            }
        } catch (TransportUnavailableException e) {
            log.info("Worker {} could not store its last subscription counts ({}); they are lost, its windows lapse"
                    + " after {}", name, e.getMessage(), SubscriptionActivity.LAPSE);
        }
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
                maintenanceProblems.reset();
            } catch (TransportUnavailableException e) {
                maintenanceProblems.warn("Worker {}: maintenance failed: {}", name, e.getMessage());
            } catch (RuntimeException e) {
                log.error("Worker {}: maintenance failed", name, e);
            } catch (Error e) {
                // Logged, never rethrown: a periodic task that throws is silently never run again, and without
                // its renewals every slow handler here would be taken over and run twice.
                log.error("Worker {}: maintenance failed{}", name, FatalErrors.isFatal(e) ? " (fatal error)" : "", e);
            }
        };
    }
}
