package io.hexbus.inmemory;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.FatalErrors;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.handling.SubscriptionFailure;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.codec.EventCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
 *       in the publisher's thread cannot be postponed), no persistence: an event lives only while it is dispatched.</li>
 *   <li>The wire contract holds all the same: an event a queue would refuse (unregistered, too large, not
 *       readable back from its JSON) is refused here with the same exception, before any handler runs
 *       ({@link InMemoryEventBusSettings#wireCheck()}); so is an invalid ordering key, wire check or not.</li>
 * </ul>
 *
 * <p>Thread-safe: any number of threads may publish at once, and handlers may be registered or removed
 * meanwhile (a dispatch uses the subscriptions registered when it starts).
 */
public final class InMemoryEventBus implements EventBus {

    private static final Logger log = LoggerFactory.getLogger(InMemoryEventBus.class);

    private final DomainEventsProcessor processor;
    private final Admission admission;
    // Per publishing thread: the events waiting to be dispatched and the failures met so far.
    private final ThreadLocal<Dispatch> dispatches = ThreadLocal.withInitial(Dispatch::new);

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
        dispatches.get().dispatchOrEnqueue(event, name);
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
                dispatch.enqueue(event, names[i]);
                outcomes.add(PublishOutcome.PUBLISHED);
            } else {
                logDuplicate(event, names[i]);
                outcomes.add(PublishOutcome.DUPLICATE);
            }
        }
        dispatch.drainIfOutermost();
        return List.copyOf(outcomes);
    }

    private static void logDuplicate(DomainEvent event, String name) {
        log.debug("Duplicate event {} {} not dispatched again", name, event.eventId());
    }

    private final class Dispatch {
        private final ArrayDeque<DomainEvent> events = new ArrayDeque<>();
        private final ArrayDeque<String> names = new ArrayDeque<>();
        private List<SubscriptionFailure> failures;
        private boolean draining;

        void enqueue(DomainEvent event, String name) {
            events.addLast(event);
            names.addLast(name);
        }

        /** Dispatches the event now, or queues it if a dispatch further up this thread's stack is running. */
        void dispatchOrEnqueue(DomainEvent event, String name) {
            if (draining) {
                enqueue(event, name);
            } else {
                run(event, name); // the common case skips the queue
            }
        }

        /** Dispatches the queue unless a dispatch further up this thread's stack already does. */
        void drainIfOutermost() {
            if (!draining) {
                run(null, null);
            }
        }

        private void run(DomainEvent first, String firstName) {
            draining = true;
            List<SubscriptionFailure> failed;
            try {
                if (first != null) {
                    dispatch(first, firstName);
                }
                DomainEvent event;
                while ((event = events.pollFirst()) != null) {
                    dispatch(event, names.pollFirst());
                }
            } finally {
                draining = false;
                failed = failures;
                failures = null;
                // Only a fatal error gets here with events left; they were never dispatched.
                if (!events.isEmpty()) {
                    log.error("{} queued event(s) were not dispatched after a fatal error", events.size());
                    events.clear();
                    names.clear();
                }
            }
            if (failed != null) {
                throw new EventHandlingException(failed);
            }
        }

        private void dispatch(DomainEvent event, String name) {
            List<Subscription> subscriptions = processor.subscriptionsFor(name);
            DeliveryObserver observer = processor.observer();
            boolean timed = observer != DeliveryObserver.NONE; // no clock reads on the hot path unless observed
            for (int i = 0; i < subscriptions.size(); i++) {
                Subscription subscription = subscriptions.get(i);
                long start = timed ? System.nanoTime() : 0;
                try {
                    subscription.handle(event);
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
