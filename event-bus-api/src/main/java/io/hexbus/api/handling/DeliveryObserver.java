package io.hexbus.api.handling;

import java.util.List;
import java.util.UUID;

/**
 * Watches what a transport does with events, for metrics and tracing: every publish, every handler
 * attempt with its duration, every dead letter. Add one to the {@link DomainEventsProcessor} with
 * {@link DomainEventsProcessor#addObserver(DeliveryObserver)}; every transport that dispatches through that
 * processor reports to it.
 *
 * <p>Called on the transport's threads, on its hot path: implementations must be thread-safe, fast and must
 * not throw. Every method has a no-op
 * default, so an observer implements only what it needs.
 *
 * @since 0.1.0
 */
public interface DeliveryObserver {

    /** Observes nothing. */
    DeliveryObserver NONE = new DeliveryObserver() {
    };

    /**
     * An event was offered to the bus.
     *
     * @param eventName the event name
     * @param eventId   the event id
     * @param duplicate true if the bus had already published that id and did nothing
     */
    default void published(String eventName, UUID eventId, boolean duplicate) {
    }

    /**
     * A subscription's handler ran once on an event.
     *
     * @param subscription the subscription name
     * @param eventName    the event name
     * @param nanos        how long the handler ran (up to its timeout when it ran past it)
     * @param failure      what it threw, or null when it succeeded
     */
    default void handled(String subscription, String eventName, long nanos, Throwable failure) {
    }

    /**
     * An event was moved to a dead-letter queue.
     *
     * @param eventName     the event name, or {@code "?"} when the entry was too malformed to tell
     * @param subscriptions the subscriptions that gave up on it
     */
    default void deadLettered(String eventName, List<String> subscriptions) {
    }

    /**
     * An event was acknowledged without being handled, because no subscription of this application handles its
     * name (another application sharing the bus may own it). Names that do not match
     * {@link io.hexbus.api.event.EventTypeRegistry#NAME_PATTERN} are not reported here: they are malformed and
     * dead-lettered. A transport may report names past a bound on how many it tells apart under one shared name.
     *
     * @param eventName the event name, or the transport's shared name for names past its bound
     */
    default void unhandled(String eventName) {
    }
}
