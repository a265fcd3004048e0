package io.hexbus.inmemory;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EventCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transport of a deployment that must not deliver (named {@value #NAME}): it accepts events as a queue
 * would, counts them, and drops them. No handler ever runs, here or elsewhere; nothing is stored.
 *
 * <ul>
 *   <li>Publishing refuses what every transport refuses, before anything of the call is counted: an unregistered
 *       type, an event over the codec's size limit, an invalid ordering key, one that cannot travel as JSON unchanged
 *       (the codec's round trip, or only its encoding when {@link InMemoryEventBusSettings#wireCheck()} is off).</li>
 *   <li>An id published within the dedupe window of {@link InMemoryEventBusSettings} is reported as
 *       {@link PublishOutcome#DUPLICATE}, as on a queue; memory stays bounded by its capacity.</li>
 *   <li>Each event offered is reported once to the processor's {@link DeliveryObserver#published}, so metrics
 *       count what would have been delivered; each one accepted (not a duplicate) is also reported to
 *       {@link DeliveryObserver#unhandled}, as a queue's worker reports an event no subscription takes.</li>
 *   <li>Its {@link #admin()} has no dead letters; its statistics are zero, except {@code unhandled}: the events
 *       accepted so far by this process, since each is acknowledged without running a handler; the same count
 *       as the observer's {@code unhandled} reports.</li>
 *   <li>{@link #startWorker()} returns a worker that does nothing, so a composition root runs unchanged.</li>
 * </ul>
 *
 * <p>It lives beside {@link InMemoryEventBus} because it is the same kind of thing, a transport with no broker
 * in this process, and runs the same checks and the same kind of bounded window of recent ids, but for one
 * difference: with {@link InMemoryEventBusSettings#wireCheck()} off, the in-memory bus checks only that the type
 * is registered, while this transport still encodes each event, so the codec's size limit holds. Any
 * composition root can choose it, not only the sample app's. Thread-safe. After {@link #close()}, it fails as a closed queued
 * transport does: publishing with an {@link EventPublishingException} whose cause is a
 * {@link TransportUnavailableException}, the admin with that exception, starting a worker with an
 * {@link IllegalStateException}.
 */
public final class NoDeliveryTransport implements QueuedTransport {

    /** This transport's {@link #name()}. */
    public static final String NAME = "none";
    /** The consumer group its statistics name: there is none. */
    public static final String GROUP = "none";

    private static final Logger log = LoggerFactory.getLogger(NoDeliveryTransport.class);

    private final DomainEventsProcessor processor;
    private final Admission admission;
    private final LongAdder accepted = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final EventBus bus = new EventBus() {
        @Override
        public List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
            return NoDeliveryTransport.this.publishAll(events);
        }

        @Override
        public void checkPublishable(List<? extends DomainEvent> events) {
            admission.namesOf(events); // cannot delay: refused after the checks of any publish
        }
    };
    private final QueueAdmin admin = new NoDeliveryAdmin(accepted::sum, closed::get);

    /**
     * A transport with the default dedupe window and wire check, and the system clock.
     *
     * @param processor its observer is told of every publish; no handler of it runs
     * @param codec     the application's codec, over the processor's registry
     * @throws IllegalArgumentException if the codec reads another registry than the processor's
     */
    public NoDeliveryTransport(DomainEventsProcessor processor, EventCodec codec) {
        this(processor, codec, InMemoryEventBusSettings.DEFAULT, Clock.systemUTC());
    }

    /**
     * @param processor its observer is told of every publish; no handler of it runs
     * @param codec     the application's codec, over the processor's registry
     * @param settings  the dedupe window and whether the full wire check runs
     * @param clock     the clock that ages remembered ids
     * @throws IllegalArgumentException if the codec reads another registry than the processor's
     */
    public NoDeliveryTransport(DomainEventsProcessor processor, EventCodec codec, InMemoryEventBusSettings settings,
                               Clock clock) {
        this.processor = Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(codec, "codec").requireReads(processor.eventTypes());
        Objects.requireNonNull(settings, "settings");
        // Without the wire check it still encodes, unlike the in-memory bus: nothing here is on a hot path, and
        // an event over the size limit must be refused as a queue would refuse it.
        this.admission = new Admission(codec, settings.wireCheck() ? Admission.Check.ROUND_TRIP
                : Admission.Check.ENCODE, settings, clock);
    }

    /**
     * @return {@value #NAME}
     */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * @return the bus that counts and drops; see the class comment for what it refuses
     */
    @Override
    public EventBus eventBus() {
        return bus;
    }

    /**
     * @return statistics that are zero but for the accepted events, and an empty dead-letter queue
     */
    @Override
    public QueueAdmin admin() {
        return admin;
    }

    /**
     * @return a worker that runs nothing
     * @throws IllegalStateException if this transport is closed
     */
    @Override
    public QueueWorker startWorker() {
        if (closed.get()) {
            throw new IllegalStateException("this " + NAME + " transport is closed");
        }
        return () -> {
        };
    }

    /**
     * Marks the transport closed; there is nothing to stop or disconnect. Idempotent.
     */
    @Override
    public void close() {
        closed.set(true);
    }

    private List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
        Objects.requireNonNull(events, "events");
        if (closed.get()) {
            String message = "could not publish " + events.size() + " event(s): the " + NAME + " transport is closed";
            throw new EventPublishingException(message, new TransportUnavailableException(message, null));
        }
        String[] names = admission.namesOf(events); // all refusals first: a refused batch is not counted at all
        DeliveryObserver observer = processor.observer();
        List<PublishOutcome> outcomes = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            DomainEvent event = events.get(i);
            boolean isNew = admission.markSeen(names[i], event, observer);
            if (isNew) {
                accepted.increment();
                observer.unhandled(names[i]); // what a queue's worker reports for an event no subscription takes
            }
            outcomes.add(isNew ? PublishOutcome.PUBLISHED : PublishOutcome.DUPLICATE);
            if (log.isDebugEnabled()) {
                log.debug("{} {} {}, not delivered ({} transport)", isNew ? "Accepted" : "Duplicate", names[i],
                        event.eventId(), NAME);
            }
        }
        return List.copyOf(outcomes);
    }
}
