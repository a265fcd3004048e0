package io.hexbus.api.publishing;

import io.hexbus.api.event.DomainEvent;

import java.util.List;
import java.util.Objects;

/**
 * The port a use case publishes domain events through. Which transport carries them is chosen when the
 * application starts; a use case depends on this interface alone.
 *
 * <p><b>Identity.</b> The {@link DomainEvent#eventId()} is the idempotency key: an event whose id the bus has
 * already seen (within its dedupe window) is not delivered again. It is reported as
 * {@link PublishOutcome#DUPLICATE}, without an exception, by a transport that can tell at publish (in memory,
 * Redis); one without a conditional write (Kafka) answers {@link PublishOutcome#PUBLISHED} and drops the duplicate
 * where it is consumed.
 *
 * <p><b>Synchronous or queued.</b> A synchronous transport returns after every handler has run; if any failed
 * it throws one {@link EventHandlingException} carrying every failure, after all handlers ran. A queued
 * transport returns once its store has durably accepted the events; handlers run later, elsewhere, and
 * their failures are retried and dead-lettered by the transport, never thrown here.
 *
 * <p><b>One wire contract.</b> Every transport refuses the same events with the same exceptions, whether or not
 * it serialises them: an unregistered type ({@link io.hexbus.api.event.UnknownEventTypeException}), an event
 * whose JSON form is over the size limit ({@link EventTooLargeException}), one that cannot travel as JSON
 * unchanged ({@link EventNotEncodableException}), or one whose ordering key is null, blank or too long
 * ({@link InvalidOrderingKeyException}). Code that passes its tests on the in-memory bus meets no new
 * refusal on a queue.
 *
 * <p><b>Atomicity.</b> {@link #publishAll(List)} accepts all events or none: an invalid event (unknown type,
 * too large) refuses the whole batch before any is delivered.
 *
 * <p><b>Delayed delivery.</b> {@link #publishAll(List, PublishOptions)} delivers events at an instant or after a
 * delay, due on the broker's clock. A transport that cannot hold events until due keeps the default method, which
 * refuses a delayed publish with {@link DelayedDeliveryUnsupportedException}; the same refusals as
 * {@link #publishAll(List)} come first, and so do duplicates: the dedupe at publish is the same for a delayed event.
 *
 * <p><b>Threads.</b> Implementations are thread-safe; any number of threads may publish at once. Calls block
 * until the events are accepted (queued) or handled (synchronous).
 */
public interface EventBus {

    /**
     * Publishes events, all or none, in the order given.
     *
     * @param events the events; none null; an empty list is a no-op
     * @return one outcome per event, in the order given
     * @throws io.hexbus.api.event.UnknownEventTypeException if an event's type has no registered name
     * @throws EventTooLargeException                       if an event's JSON form is over the size limit
     * @throws EventNotEncodableException                   if an event cannot travel as JSON unchanged
     * @throws InvalidOrderingKeyException                  if an event's ordering key is null, blank or too long
     * @throws EventPublishingException                     if the transport could not accept the events
     * @throws EventHandlingException                       on a synchronous transport, if handlers failed
     */
    List<PublishOutcome> publishAll(List<? extends DomainEvent> events);

    /**
     * Publishes one event.
     *
     * @param event the event
     * @return whether it was published or a duplicate of an earlier one
     * @throws io.hexbus.api.event.UnknownEventTypeException if the event's type has no registered name
     * @throws EventTooLargeException                       if the event's JSON form is over the size limit
     * @throws EventNotEncodableException                   if the event cannot travel as JSON unchanged
     * @throws InvalidOrderingKeyException                  if the event's ordering key is null, blank or too long
     * @throws EventPublishingException                     if the transport could not accept it
     * @throws EventHandlingException                       on a synchronous transport, if handlers failed
     */
    default PublishOutcome publish(DomainEvent event) {
        return publishAll(List.of(event)).get(0);
    }

    /**
     * Publishes events, all or none, in the order given, now or later as {@code options} say. Immediate options
     * are {@link #publishAll(List)}. Delayed events are accepted (and their ids deduplicated) now, held by the
     * transport without holding a worker, and delivered once due on the broker's clock, in the transport's
     * workers; on a synchronous transport, their handlers' failures are logged, not thrown.
     *
     * <p>By default, a transport cannot delay: immediate options delegate to {@link #publishAll(List)}, delayed
     * ones are refused with {@link DelayedDeliveryUnsupportedException} after the refusals every publish makes.
     * A transport that can delay overrides this method.
     *
     * @param events  the events; none null; an empty list is a no-op
     * @param options when to deliver them, not null
     * @return one outcome per event, in the order given
     * @throws DelayedDeliveryUnsupportedException if the options delay and the transport cannot
     * @throws io.hexbus.api.event.UnknownEventTypeException if an event's type has no registered name
     * @throws EventTooLargeException                       if an event's JSON form is over the size limit
     * @throws EventNotEncodableException                   if an event cannot travel as JSON unchanged
     * @throws InvalidOrderingKeyException                  if an event's ordering key is null, blank or too long
     * @throws EventPublishingException                     if the transport could not accept the events
     * @throws EventHandlingException                       on a synchronous transport, if handlers of an
     *                                                      immediate publish failed
     * @since 0.1.0
     */
    default List<PublishOutcome> publishAll(List<? extends DomainEvent> events, PublishOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.isImmediate()) {
            return publishAll(events);
        }
        checkPublishable(events);
        throw new DelayedDeliveryUnsupportedException(getClass());
    }

    /**
     * Publishes one event, now or later as {@code options} say; see {@link #publishAll(List, PublishOptions)}.
     *
     * @param event   the event
     * @param options when to deliver it, not null
     * @return whether it was published or a duplicate of an earlier one
     * @throws DelayedDeliveryUnsupportedException if the options delay and the transport cannot
     * @throws UnpublishableEventException         what {@link #publish(DomainEvent)} refuses
     * @throws EventPublishingException            if the transport could not accept it
     * @since 0.1.0
     */
    default PublishOutcome publish(DomainEvent event, PublishOptions options) {
        return publishAll(List.of(event), options).get(0);
    }

    /**
     * Refuses, as {@link #publishAll(List)} would, events this transport would not carry, without publishing any:
     * the check a transport that cannot delay makes before refusing a delayed publish, so that a bad event meets
     * the same exception either way. By default it checks only that no event is null; a transport overrides it
     * with its own checks (registry, codec, ordering key).
     *
     * @param events the events
     * @throws UnpublishableEventException if an event would be refused
     * @throws NullPointerException        if the list or an event is null
     * @since 0.1.0
     */
    default void checkPublishable(List<? extends DomainEvent> events) {
        Objects.requireNonNull(events, "events");
        events.forEach(event -> Objects.requireNonNull(event, "event"));
    }
}
