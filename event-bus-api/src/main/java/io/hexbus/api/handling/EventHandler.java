package io.hexbus.api.handling;

import io.hexbus.api.event.DomainEvent;

/**
 * Reacts to one kind of event.
 *
 * <p>A handler signals failure by throwing. A failure is retried by transports that retry, unless it is
 * {@link NonRetryable} (an invalid payload, a business rule that will never pass). Since a queued
 * transport delivers at least once, a handler should be idempotent or guard its side effects by
 * {@link DomainEvent#eventId()}.
 *
 * <p>A handler may be called from several threads at once (concurrent publishers, several workers), so it
 * must be thread-safe. It may publish further events.
 *
 * <p>Give a lambda an explicit subscription name when registering it: a lambda's class name is not stable
 * across builds, so it cannot name a subscription.
 *
 * @param <E> the event type it handles
 */
@FunctionalInterface
public interface EventHandler<E extends DomainEvent> {

    /**
     * Handles one event.
     *
     * @param event the event; never null
     * @throws Exception to signal that handling failed
     */
    void handle(E event) throws Exception;
}
