package io.hexbus.codec;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.TraceContext;

import java.util.Objects;
import java.util.Optional;

/**
 * An event read from its envelope, with the trace context it was published with. Immutable.
 *
 * @param event        the event
 * @param traceContext the envelope's trace context, or null when it has none (or one that is not valid, which a
 *                     reader drops rather than refuse the event)
 */
public record DecodedEvent(DomainEvent event, TraceContext traceContext) {

    /**
     * @param event        the event
     * @param traceContext the trace context, or null
     * @throws NullPointerException if {@code event} is null
     */
    public DecodedEvent {
        Objects.requireNonNull(event, "event");
    }

    /**
     * @return the trace context, or empty
     */
    public Optional<TraceContext> trace() {
        return Optional.ofNullable(traceContext);
    }
}
