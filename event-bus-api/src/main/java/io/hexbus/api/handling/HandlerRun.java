package io.hexbus.api.handling;

import io.hexbus.api.event.DomainEvent;

import java.util.Objects;
import java.util.Optional;

/**
 * One run of a subscription's handler on an event, as {@link Tracing} sees it. Immutable.
 *
 * @param subscription the subscription whose handler runs
 * @param event        the event it runs on
 * @param attempt      which attempt of this subscription on this event it is: 1 for the first, 2 for the first
 *                     retry; a takeover after a crashed worker is not an attempt, so it keeps its number
 * @param traceContext the trace context the event was published with, or null when it carried none
 * @since 0.1.0
 */
public record HandlerRun(Subscription subscription, DomainEvent event, int attempt, TraceContext traceContext) {

    /**
     * @param subscription the subscription whose handler runs
     * @param event        the event
     * @param attempt      the attempt, from 1
     * @param traceContext the publish's trace context, or null
     * @throws NullPointerException     if {@code subscription} or {@code event} is null
     * @throws IllegalArgumentException if {@code attempt} is below 1
     */
    public HandlerRun {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(event, "event");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
        }
    }

    /**
     * @return the trace context the event was published with, or empty
     */
    public Optional<TraceContext> trace() {
        return Optional.ofNullable(traceContext);
    }
}
