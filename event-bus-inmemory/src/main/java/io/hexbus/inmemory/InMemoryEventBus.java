package io.hexbus.inmemory;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.FatalErrors;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.handling.SubscriptionFailure;
import io.hexbus.api.handling.TraceContext;
import io.hexbus.api.handling.Tracing;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.PublishOptions;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.codec.EventCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The synchronous transport: {@code publish} runs every handler of the event, in registration order, in
 * the caller's thread, and returns when they are done.
 *
 * <ul>
 *   <li>A failing handler does not stop the others. After all ran, {@code publish} throws one
 *       {@link EventHandlingException} carrying every failure.</li>
 *   <li>An event published by a handler is queued on the publishing thread and dispatched after the current
 *       event's handlers finish, so every handler sees events in publish order. Its handlers' failures are
 *       reported by the outermost {@code publish}.</li>
 *   <li>A repeated event id, within the window of {@link InMemoryEventBusSettings}, is reported as
 *       {@link PublishOutcome#DUPLICATE} and not dispatched again.</li>
 *   <li>No retries, no handler timeout, no rate limit (a {@link io.hexbus.api.handling.RateLimit} is ignored: a handler
 *       in the publisher's thread cannot be postponed), no persistence: an event lives only while it is dispatched, or,
 *       delayed, while it waits in memory.</li>
 *   <li>Delayed events ({@link #publishAll(List, PublishOptions)}) are checked and deduplicated at publish, held in
 *       memory, and dispatched once due by the bus's {@link Clock}, on one daemon thread the bus owns (started by the
 *       first delayed publish); their handlers' failures are logged, since no caller waits for them. They are lost
 *       when the JVM exits or the bus is {@linkplain #close() closed}, as everything in memory is.</li>
 *   <li>The processor's {@link Tracing} is asked for each event's trace context at publish, on the publisher's
 *       thread, and each handler run is wrapped by it with that context and attempt 1 (this bus has no retries),
 *       also for an event queued by a handler or delayed.</li>
 *   <li>The wire contract holds all the same: an event a queue would refuse (unregistered, too large, not
 *       readable back from its JSON) is refused here with the same exception, before any handler runs
 *       ({@link InMemoryEventBusSettings#wireCheck()}); so is an invalid ordering key, wire check or not.</li>
 * </ul>
 *
 * <p>Thread-safe: any number of threads may publish at once, and handlers may be registered or removed
 * meanwhile (a dispatch uses the subscriptions registered when it starts).
 */
public final class InMemoryEventBus implements EventBus, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InMemoryEventBus.class);

    private final DomainEventsProcessor processor;
    private final Admission admission;
    // Per publishing thread: the events waiting to be dispatched and the failures met so far.
    private final ThreadLocal<Dispatch> dispatches = ThreadLocal.withInitial(Dispatch::new);
    private final Clock clock;
    private final DelayedEvents delayed;
    private final Object timerLock = new Object();
    private ScheduledExecutorService timer; // guarded by timerLock; created by the first delayed publish
    private ScheduledFuture<?> wake; // guarded by timerLock: the timer's next run, for wakeAt
    private Instant wakeAt; // guarded by timerLock: when it runs, by the bus's clock
    private boolean closed; // guarded by timerLock

    /**
     * A bus with the default settings and the system clock.
     *
     * @param processor routes events to handlers
     */
    public InMemoryEventBus(DomainEventsProcessor processor) {
        this(processor, InMemoryEventBusSettings.DEFAULT, Clock.systemUTC());
    }

    /**
     * A bus that checks events with the default codec of the processor's registry.
     *
     * @param processor routes events to handlers
     * @param settings  the dedupe window and the wire check
     * @param clock     the clock that ages remembered ids
     */
    public InMemoryEventBus(DomainEventsProcessor processor, InMemoryEventBusSettings settings, Clock clock) {
        this(processor, settings, clock, EventCodec.of(processor.eventTypes()));
    }

    /**
     * @param processor routes events to handlers
     * @param settings  the dedupe window and the wire check
     * @param clock     the clock that ages remembered ids
     * @param codec     the codec a queue of this application would use (its modules and size limit), over the
     *                  processor's registry
     * @throws IllegalArgumentException if the codec reads another registry than the processor's
     */
    public InMemoryEventBus(DomainEventsProcessor processor, InMemoryEventBusSettings settings, Clock clock,
                            EventCodec codec) {
        this.processor = Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(codec, "codec").requireReads(processor.eventTypes());
        Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.delayed = new DelayedEvents(clock);
        this.admission = new Admission(codec, settings.wireCheck() ? Admission.Check.ROUND_TRIP
                : Admission.Check.NAME, settings, clock);
    }

    @Override
    public PublishOutcome publish(DomainEvent event) {
        String name = admission.nameOf(event);
        if (!admission.markSeen(name, event, processor.observer())) {
            logDuplicate(event, name);
            return PublishOutcome.DUPLICATE;
        }
        dispatches.get().dispatchOrEnqueue(event, name, traceOf(name, event));
        return PublishOutcome.PUBLISHED;
    }

    @Override
    public List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
        // Every refusal first: a refused batch is not dispatched at all.
        String[] names = admission.namesOf(events);
        Dispatch dispatch = dispatches.get();
        List<PublishOutcome> outcomes = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            DomainEvent event = events.get(i);
            if (admission.markSeen(names[i], event, processor.observer())) {
                dispatch.enqueue(event, names[i], traceOf(names[i], event));
                outcomes.add(PublishOutcome.PUBLISHED);
            } else {
                logDuplicate(event, names[i]);
                outcomes.add(PublishOutcome.DUPLICATE);
            }
        }
        dispatch.drainIfOutermost();
        return List.copyOf(outcomes);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: options that delay nothing by the bus's clock are {@link #publishAll(List)}. Delayed events are
     * refused and deduplicated now, as immediate ones are, then held in memory until due by the bus's clock and
     * dispatched on the bus's timer thread (or by {@link #runDue()}); a delay counts from this call. Nothing is
     * dispatched by this call, so it throws no {@link EventHandlingException}.
     *
     * @throws EventPublishingException if the bus is closed (a delayed publish only)
     */
    @Override
    public List<PublishOutcome> publishAll(List<? extends DomainEvent> events, PublishOptions options) {
        Objects.requireNonNull(options, "options");
        Instant now = clock.instant();
        if (options.isImmediateAt(now)) {
            return publishAll(events);
        }
        String[] names = admission.namesOf(events); // every refusal first, as for an immediate batch
        Instant due = options.deliverAt() != null ? options.deliverAt() : now.plus(options.deliverAfter());
        List<PublishOutcome> outcomes = new ArrayList<>(names.length);
        synchronized (timerLock) {
            if (closed) {
                throw new EventPublishingException("could not publish " + names.length + " delayed event(s): the "
                        + "in-memory bus is closed", null);
            }
            for (int i = 0; i < names.length; i++) {
                DomainEvent event = events.get(i);
                if (admission.markSeen(names[i], event, processor.observer())) {
                    delayed.add(due, event, names[i], traceOf(names[i], event));
                    outcomes.add(PublishOutcome.PUBLISHED);
                } else {
                    logDuplicate(event, names[i]);
                    outcomes.add(PublishOutcome.DUPLICATE);
                }
            }
            if (outcomes.contains(PublishOutcome.PUBLISHED)) {
                wakeAt(due);
            }
        }
        return List.copyOf(outcomes);
    }

    /**
     * Dispatches, in the caller's thread, the delayed events due by the bus's clock, in due order: what the bus's
     * timer thread does when one is due. For a test on a clock it moves itself (a fixed or mutable {@link Clock}),
     * whose due times the timer, waiting by the system's time, does not see come.
     *
     * @return how many events were dispatched
     * @throws EventHandlingException carrying every handler failure, after all the due events ran
     */
    public int runDue() {
        List<DelayedEvents.Due> due = delayed.takeDue();
        if (due.isEmpty()) {
            return 0;
        }
        try {
            Dispatch dispatch = dispatches.get();
            due.forEach(d -> dispatch.enqueue(d.event(), d.name(), d.trace()));
            dispatch.drainIfOutermost();
        } finally {
            delayed.dispatched(due.size());
        }
        return due.size();
    }

    /**
     * @return how many delayed events wait to be dispatched, or are being dispatched now
     */
    public int scheduled() {
        return delayed.size();
    }

    /**
     * Stops the timer thread and drops the delayed events still waiting (logged with their count): the bus
     * delivers no delayed event afterwards, and refuses a delayed publish. Immediate publishes still work.
     * Idempotent; waits at most a second for a dispatch under way to finish.
     */
    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (timerLock) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = timer;
            timer = null;
        }
        int dropped = delayed.clear();
        if (dropped > 0) {
            log.warn("In-memory bus closed with {} delayed event(s) not yet due: they are dropped", dropped);
        }
        if (stopping != null) {
            stopping.shutdownNow();
            try {
                stopping.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Has the timer thread run when {@code due} comes by the bus's clock (measured from now, in the system's time),
     * unless it runs earlier already. One run is pending at a time, so the thread wakes once per due time at most.
     */
    private void wakeAt(Instant due) {
        if (wake != null && !wakeAt.isAfter(due)) {
            return;
        }
        if (wake != null) {
            wake.cancel(false);
        }
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "hexbus-inmemory-delayed");
                thread.setDaemon(true); // delayed events are lost at exit anyway: they must not keep the JVM alive
                return thread;
            });
        }
        long delayNanos = Math.max(0, Duration.between(clock.instant(), due).toNanos());
        wakeAt = due;
        wake = timer.schedule(this::runDueOnTimer, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void runDueOnTimer() {
        synchronized (timerLock) {
            wake = null;
        }
        try {
            runDue();
        } catch (EventHandlingException failed) {
            // No caller waits for a delayed event: its failures are logged, each with its subscription.
            for (SubscriptionFailure failure : failed.failures()) {
                log.error("Subscription {} failed on delayed event {} {}", failure.subscription(),
                        failure.eventName(), failure.eventId(), failure.error());
            }
        } catch (RuntimeException e) {
            log.error("Dispatching due delayed events failed", e);
        } finally {
            // The next due time, or this one again if the system's time ran ahead of the bus's clock.
            delayed.nextDue().ifPresent(next -> {
                synchronized (timerLock) {
                    if (!closed) {
                        wakeAt(next);
                    }
                }
            });
        }
    }

    private TraceContext traceOf(String name, DomainEvent event) {
        return processor.tracing().publishing(name, event).orElse(null);
    }

    private static void logDuplicate(DomainEvent event, String name) {
        log.debug("Duplicate event {} {} not dispatched again", name, event.eventId());
    }

    /** An event waiting on its publishing thread, with its name and trace context (or null). */
    private record Queued(DomainEvent event, String name, TraceContext trace) {
    }

    private final class Dispatch {
        private final ArrayDeque<Queued> events = new ArrayDeque<>();
        private List<SubscriptionFailure> failures;
        private boolean draining;

        void enqueue(DomainEvent event, String name, TraceContext trace) {
            events.addLast(new Queued(event, name, trace));
        }

        /** Dispatches the event now, or queues it if a dispatch further up this thread's stack is running. */
        void dispatchOrEnqueue(DomainEvent event, String name, TraceContext trace) {
            if (draining) {
                enqueue(event, name, trace);
            } else {
                run(event, name, trace); // the common case skips the queue
            }
        }

        /** Dispatches the queue unless a dispatch further up this thread's stack already does. */
        void drainIfOutermost() {
            if (!draining) {
                run(null, null, null);
            }
        }

        private void run(DomainEvent first, String firstName, TraceContext firstTrace) {
            draining = true;
            List<SubscriptionFailure> failed;
            try {
                if (first != null) {
                    dispatch(first, firstName, firstTrace);
                }
                Queued queued;
                while ((queued = events.pollFirst()) != null) {
                    dispatch(queued.event(), queued.name(), queued.trace());
                }
            } finally {
                draining = false;
                failed = failures;
                failures = null;
                // Only a fatal error gets here with events left; they were never dispatched.
                if (!events.isEmpty()) {
                    log.error("{} queued event(s) were not dispatched after a fatal error", events.size());
                    events.clear();
                }
            }
            if (failed != null) {
                throw new EventHandlingException(failed);
            }
        }

        private void dispatch(DomainEvent event, String name, TraceContext trace) {
            List<Subscription> subscriptions = processor.subscriptionsFor(name);
            DeliveryObserver observer = processor.observer();
            boolean timed = observer != DeliveryObserver.NONE; // no clock reads on the hot path unless observed
            for (int i = 0; i < subscriptions.size(); i++) {
                Subscription subscription = subscriptions.get(i);
                long start = timed ? System.nanoTime() : 0;
                try {
                    subscription.handle(event, 1, trace);
                    if (timed) {
                        observer.handled(subscription.name(), name, System.nanoTime() - start, null);
                    }
                } catch (Throwable error) { // a handler's Error is its failure too, unless the JVM cannot go on
                    if (FatalErrors.isFatal(error)) {
                        throw (Error) error; // every fatal throwable is an Error
                    }
                    if (timed) {
                        observer.handled(subscription.name(), name, System.nanoTime() - start, error);
                    }
                    log.warn("Subscription {} failed on event {} {}: {}", subscription.name(), name,
                            event.eventId(), error.toString());
                    if (failures == null) {
                        failures = new ArrayList<>(2);
                    }
                    failures.add(new SubscriptionFailure(subscription.name(), name, event.eventId(), error));
                }
            }
        }
    }
}
