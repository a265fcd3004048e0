package io.hexbus.engine.worker;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.FatalErrors;
import io.hexbus.api.handling.NonRetryableException;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.handling.TraceContext;
import io.hexbus.engine.HandlerTimeoutException;
import io.hexbus.engine.HandlerWatchdog;
import io.hexbus.engine.JobSlots;
import io.hexbus.engine.Progress;
import io.hexbus.engine.RoundDecision;
import io.hexbus.engine.Settlement;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.engine.backend.EnvelopeReader;
import io.hexbus.engine.stats.SubscriptionTally;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs messages on a worker's job threads: checks and reads each one, runs a round of its owed and due
 * subscriptions, each timed by the {@link HandlerWatchdog} and, when rate-limited, run only with a permit of
 * {@link Permits} (postponed otherwise), and hands the round's {@link Settlement} to the {@link Settler}. A
 * handler past its timeout fails its attempt and the rest of its round moves to another job thread, so that it
 * frees its slot even if it ignores the interrupt. Thread-safe.
 */
final class Rounds {

    private final DomainEventsProcessor processor;
    private final EnvelopeReader reader;
    private final Holdings holdings;
    private final HandlerWatchdog watchdog;
    private final Settler settler;
    private final Permits permits;
    private final UnhandledEvents unhandled;
    private final EngineSettings settings;
    private final Logger log;
    private final String worker;
    private final BoundedLog newerVersionWaits;
    private final SubscriptionTally tally;
    // Handlers running now (a timed-out one no longer counts: its slot moved on), reported for stats.
    // Keyed by delivery id, so that a backend over several queues can count each queue's own.
    private final Map<String, Integer> running = new ConcurrentHashMap<>();
    // Set once the shutdown deadline passed: handlers failing from then on were interrupted, not failing.
    private volatile boolean abandoning;

    Rounds(DomainEventsProcessor processor, EnvelopeReader reader, Holdings holdings, HandlerWatchdog watchdog,
           Settler settler, Permits permits, UnhandledEvents unhandled, EngineSettings settings, Logger log,
           String worker, SubscriptionTally tally) {
        this.processor = processor;
        this.tally = tally;
        this.reader = reader;
        this.holdings = holdings;
        this.watchdog = watchdog;
        this.settler = settler;
        this.permits = permits;
        this.unhandled = unhandled;
        this.settings = settings;
        this.log = log;
        this.worker = worker;
        this.newerVersionWaits = new BoundedLog(log, Duration.ofSeconds(10));
    }

    /** Queues a held message for a job thread; it holds its room until settled, abandoned or acknowledged. */
    void dispatch(Delivery delivery) {
        holdings.hold(delivery);
        if (!holdings.slots().submit(new Job(delivery, null))) { // stopping
            holdings.release(delivery);
        }
    }

    /** @return the delivery id of each handler running now (an id once per handler running on its message), sorted */
    List<String> runningIds() {
        List<String> ids = new ArrayList<>();
        running.forEach((id, count) -> {
            for (int i = 0; i < count; i++) {
                ids.add(id);
            }
        });
        Collections.sort(ids);
        return ids;
    }

    private void started(Round round) {
        running.merge(round.delivery.id(), 1, Integer::sum);
    }

    private void stopped(Round round) {
        running.computeIfPresent(round.delivery.id(), (id, count) -> count == 1 ? null : count - 1);
    }

    boolean abandoning() {
        return abandoning;
    }

    /** Past the shutdown deadline: the jobs still queued are dropped (their messages left for another worker). */
    void abandon() {
        abandoning = true; // before the interrupts: a handler failing from now on was interrupted, not failing
        for (Runnable queued : holdings.slots().abandon()) {
            if (queued instanceof Job job) {
                holdings.release(job.delivery);
            }
        }
    }

    /** The subscriptions here that a message is for: all of its event's, or those a dead-letter retry names. */
    List<Subscription> subscriptionsOf(Delivery delivery) {
        List<Subscription> subscriptions = processor.subscriptionsFor(Settler.nameOf(delivery));
        if (delivery.onlySubscriptions().isEmpty()) {
            return subscriptions;
        }
        return subscriptions.stream().filter(s -> delivery.onlySubscriptions().contains(s.name())).toList();
    }

    /** What became of a delivery after its turn on a job thread. */
    private enum Turn {
        /** Queued for the acknowledger, which releases it once acknowledged. */
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

        @Override
        public void run() {
            Turn turn = Turn.DONE;
            try {
                turn = resumed == null ? process(delivery) : runRound(resumed);
            } catch (Throwable e) { // a handler's failure never gets here: this is the worker's own trouble
                log.error("Worker {}: {} error on entry {}; it stays pending and will be taken over", worker,
                        FatalErrors.isFatal(e) ? "fatal" : "unexpected", delivery.id(), e);
                if (FatalErrors.isFatal(e)) {
                    throw e; // the pool replaces this thread
                }
            } finally {
                if (turn == Turn.DONE) {
                    holdings.release(delivery);
                }
            }
        }
    }

    /** Checks and reads a delivery, then runs a round of its owed subscriptions. */
    private Turn process(Delivery delivery) {
        String name = delivery.eventName();
        UUID eventId = Settler.eventIdOf(delivery);
        if (name != null && !EventNames.isValid(name)) {
            String error = "entry " + delivery.id() + " has an invalid event name " + EventNames.quote(name)
                    + ": an event name matches " + EventTypeRegistry.NAME_PATTERN;
            log.warn("Worker {}: {}; dead-lettered", worker, error);
            settler.deadLetterSurely(delivery, eventId, "?", List.of(), 1, error, 1);
            return Turn.DONE;
        }
        if (name == null || delivery.envelope() == null) {
            settler.deadLetterSurely(delivery, eventId, Settler.nameOf(delivery), List.of(), 1, "entry "
                    + delivery.id() + " has no " + (name == null ? "event name" : "envelope"), 1);
            return Turn.DONE;
        }
        List<Subscription> subscriptions = subscriptionsOf(delivery);
        if (subscriptions.isEmpty()) {
            if (!delivery.onlySubscriptions().isEmpty()) {
                log.warn("Redelivered event {} {} names subscriptions {} that this application no longer has;"
                        + " acknowledged", name, delivery.eventId(), delivery.onlySubscriptions());
            }
            processor.observer().unhandled(unhandled.count(name));
            settler.acknowledgeUnhandled(delivery);
            return Turn.ACK_QUEUED;
        }
        EnvelopeReader.Read read = reader.read(name, delivery.eventId() == null ? "" : delivery.eventId(),
                delivery.envelope());
        if (read instanceof EnvelopeReader.NewerVersion newer) {
            return awaitReader(delivery, name, subscriptions, newer);
        }
        if (read instanceof EnvelopeReader.Malformed malformed) {
            return deadLetterMalformed(delivery, name, subscriptions, malformed.summary(), malformed.detail());
        }
        EnvelopeReader.Event event = (EnvelopeReader.Event) read;
        return runRound(new Round(delivery, event.event(), event.traceContext(), subscriptions));
    }

    private Turn deadLetterMalformed(Delivery delivery, String name, List<Subscription> subscriptions, String reason,
                                     String error) {
        List<String> owed = subscriptions.stream().map(Subscription::name).toList();
        log.warn("Worker {}: entry {} of '{}' is malformed, dead-lettered: {}", worker, delivery.id(), name, reason);
        settler.deadLetterSurely(delivery, Settler.eventIdOf(delivery), name, owed, 1, error, 1);
        return Turn.DONE;
    }

    /**
     * A message of a newer event version than this code reads waits for code that reads it, attempts untouched;
     * past {@link EngineSettings#newerVersionMaxWait()} after it was published it is dead-lettered instead, since a
     * message left waiting may hold back the broker's retention.
     */
    private Turn awaitReader(Delivery delivery, String name, List<Subscription> subscriptions,
                             EnvelopeReader.NewerVersion newer) {
        // The broker's clock when the message was claimed for a retry; on a first read, this worker's: a bound of
        // hours does not mind a skew of seconds.
        long now = delivery.brokerNow() >= 0 ? delivery.brokerNow() : System.currentTimeMillis();
        if (now - delivery.publishedAtMillis() > settings.newerVersionMaxWait().toMillis()) {
            String error = newer.message() + "; no such code ran within " + settings.newerVersionMaxWait()
                    + " of its publishing: retry it from the dead-letter queue once it runs";
            return deadLetterMalformed(delivery, name, subscriptions, error, error);
        }
        long delay = settings.newerVersionDelay().toMillis();
        Progress progress = delivery.progress();
        String line = "Worker {}: entry {} of '{}' is at version {}, newer than the version {} this service reads;"
                + " it waits {} ms for code that reads it, and is not dead-lettered";
        Object[] args = {worker, delivery.id(), name, newer.entryVersion(), newer.readerVersion(), delay};
        // At WARN once per message (the recorded error is the wait's own unless a subscription is dead), and at a
        // bounded rate: a deploy's backlog would otherwise repeat every delay.
        if (progress.lastError().equals(newer.message())) {
            log.debug(line, args);
        } else {
            newerVersionWaits.warn(line, args);
        }
        Settlement settlement = RoundDecision.awaitReader(subscriptions.stream().map(Subscription::name).toList(),
                progress, delivery.brokerNow(), delay, newer.message());
        return settled(delivery, Settler.eventIdOf(delivery), name, settlement);
    }

    private Turn settled(Delivery delivery, UUID eventId, String name, Settlement settlement) {
        return settler.apply(delivery, eventId, name, settlement) ? Turn.ACK_QUEUED : Turn.DONE;
    }

    /**
     * One pass of a message over its subscriptions that are owed and due. It is confined to one thread at a time:
     * the job thread that runs it, or, after a handler timed out, the job thread it moved to (the hand-over goes
     * through the watchdog's concurrent set and the executor's queue).
     */
    private static final class Round {
        final Delivery delivery;
        final DomainEvent event;
        final TraceContext traceContext; // null when the event carried none
        final List<Subscription> subscriptions;
        final Map<String, Throwable> failures = new LinkedHashMap<>();
        final List<String> succeeded = new ArrayList<>();
        final List<String> notYetDue = new ArrayList<>();
        // Per subscription without a permit, when (System.nanoTime) the broker expects room in its window.
        final Map<String, Long> postponedUntil = new LinkedHashMap<>();
        int next; // the index of the next subscription to consider

        Round(Delivery delivery, DomainEvent event, TraceContext traceContext, List<Subscription> subscriptions) {
            this.delivery = delivery;
            this.event = event;
            this.traceContext = traceContext;
            this.subscriptions = subscriptions;
        }

        Progress progress() {
            return delivery.progress();
        }
    }

    private Turn runRound(Round round) {
        while (round.next < round.subscriptions.size()) {
            Subscription subscription = round.subscriptions.get(round.next++);
            String sub = subscription.name();
            if (round.progress().isDone(sub) || round.progress().isDead(sub)) {
                continue;
            }
            long brokerNow = round.delivery.brokerNow();
            if (brokerNow >= 0 && round.progress().dueAt(sub) > brokerNow) {
                round.notYetDue.add(sub);
                continue;
            }
            if (subscription.options().rateLimit() != null) {
                if (!permits.enforceable()) { // registered after the worker started, which checks the others
                    String refusal = permits.refusal(subscription);
                    log.error("Worker {}: {}; event {} is dead-lettered for it", worker, refusal,
                            round.event.eventId());
                    round.failures.put(sub, new NonRetryableException(refusal));
                    continue;
                }
                Optional<Long> wait = permits.acquire(subscription);
                if (wait.isPresent()) { // not an attempt: it waits for room in its window, attempts unchanged
                    round.postponedUntil.put(sub, System.nanoTime() + wait.get() * 1_000_000);
                    continue;
                }
            }
            Throwable failure = attempt(round, subscription);
            if (failure == Moved.INSTANCE) {
                return Turn.MOVED;
            }
            if (failure == Abandoned.INSTANCE) {
                return Turn.DONE; // shutting down: leave the message to another worker
            }
            if (failure == null) {
                round.succeeded.add(sub);
            } else {
                round.failures.put(sub, failure);
            }
        }
        Settlement settlement = RoundDecision.settle(
                new RoundDecision.Outcomes(round.succeeded, round.failures, round.notYetDue, postponed(round)),
                retryPolicies(round.subscriptions), round.progress(), round.delivery.brokerNow(),
                () -> ThreadLocalRandom.current().nextDouble());
        return settled(round.delivery, round.event.eventId(), Settler.nameOf(round.delivery), settlement);
    }

    /**
     * The waits of the round's postponed subscriptions, from now: the broker counts a reschedule's delays from when
     * it records them, and the round's later handlers may have run meanwhile. Measured on this worker's monotonic
     * clock, which only measures an elapsed time here, never a due time.
     */
    private static Map<String, Long> postponed(Round round) {
        Map<String, Long> waits = new LinkedHashMap<>();
        long now = System.nanoTime();
        round.postponedUntil.forEach((sub, until) -> waits.put(sub, Math.max(1, (until - now + 999_999) / 1_000_000)));
        return waits;
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
        started(round);
        HandlerWatchdog.Attempt timed = watchdog.begin(subscription.options().timeout(),
                () -> moveAfterTimeout(round, subscription, start));
        Throwable failure = null;
        Throwable fatal = null;
        try {
            // The attempt as moveAfterTimeout and the settlement count it: the recorded failures, plus this one.
            subscription.handle(round.event, round.progress().attempts(subscription.name()) + 1, round.traceContext);
        } catch (Throwable error) { // a handler's Error (assert, stack overflow, linkage) is its failure too
            if (FatalErrors.isFatal(error)) {
                fatal = error;
            } else {
                failure = error;
            }
        } finally {
            if (watchdog.end(timed)) {
                stopped(round);
            } else {
                failure = Moved.INSTANCE; // and moveAfterTimeout took it off the running count
            }
        }
        if (failure == Moved.INSTANCE) {
            holdings.slots().removeReplacement(); // this thread is back: the one added in its place can go
            if (fatal != null) { // the round went on elsewhere: this thread only reports it
                log.error("Worker {}: subscription {} ended with a fatal error after its timeout", worker,
                        subscription.name(), fatal);
            }
            return failure;
        }
        if (fatal != null) {
            throw (Error) fatal; // not an attempt: the worker's own crash, the message is taken over
        }
        if (failure instanceof Error error && !abandoning) {
            log.warn("Worker {}: subscription {} threw {} on event {}; a failed attempt", worker,
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
        stopped(round);
        int attempt = round.progress().attempts(subscription.name()) + 1;
        round.failures.put(subscription.name(), observed(subscription, start, new HandlerTimeoutException(
                "subscription '" + subscription.name() + "' ran past its timeout of " + subscription.options().timeout()
                        + " on event " + round.event.eventId() + " (attempt " + attempt + ")")));
        JobSlots slots = holdings.slots();
        slots.addReplacement();
        if (!slots.submit(new Job(round.delivery, round))) { // stopping
            holdings.release(round.delivery); // left to lapse: another worker takes it over
        }
    }

    private Throwable observed(Subscription subscription, long start, Throwable failure) {
        long nanos = System.nanoTime() - start;
        tally.handled(subscription.name(), nanos, failure != null);
        processor.observer().handled(subscription.name(), subscription.eventName(), nanos, failure);
        return failure;
    }

    /** Marks an attempt that timed out and whose round moved to another thread. */
    private static final class Moved extends Throwable {
        private static final long serialVersionUID = 1L;
        static final Moved INSTANCE = new Moved();

        private Moved() {
            super("moved after a timeout", null, false, false);
        }
    }

    /** Marks an attempt cut short by shutdown: not a failure, the message is left to another worker. */
    private static final class Abandoned extends Throwable {
        private static final long serialVersionUID = 1L;
        static final Abandoned INSTANCE = new Abandoned();

        private Abandoned() {
            super("abandoned at shutdown", null, false, false);
        }
    }
}
