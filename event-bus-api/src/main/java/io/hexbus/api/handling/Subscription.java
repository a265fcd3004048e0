package io.hexbus.api.handling;

import io.hexbus.api.event.DomainEvent;

import java.util.Objects;
import java.util.Optional;

/**
 * A handler registered for one event name under a stable subscription name. Immutable and thread-safe.
 *
 * <p>Transports call {@link #handle(DomainEvent, int, TraceContext)}; the subscription name keys whatever delivery state a
 * transport keeps for it (completion, attempts, dead letters), so it must stay the same across restarts.
 */
public final class Subscription {

    private final String name;
    private final String eventName;
    private final Class<? extends DomainEvent> eventType;
    private final EventHandler<DomainEvent> handler;
    private final SubscriptionOptions options;
    private final DomainEventsProcessor owner;

    Subscription(String name, String eventName, Class<? extends DomainEvent> eventType,
                 EventHandler<DomainEvent> handler, SubscriptionOptions options, DomainEventsProcessor owner) {
        this.owner = owner;
        this.name = name;
        this.eventName = eventName;
        this.eventType = eventType;
        this.handler = handler;
        this.options = options;
    }

    /**
     * @return the subscription name, unique within its {@link DomainEventsProcessor}
     */
    public String name() {
        return name;
    }

    /**
     * @return the name of the events it receives
     */
    public String eventName() {
        return eventName;
    }

    /**
     * @return the event type it was registered for, or empty when it was registered by name only
     */
    public Optional<Class<? extends DomainEvent>> eventType() {
        return Optional.ofNullable(eventType);
    }

    /**
     * @return its retry policy and timeout
     */
    public SubscriptionOptions options() {
        return options;
    }

    /**
     * Runs the handler on an event, in the calling thread, wrapped by the processor's {@link Tracing}: what every
     * transport calls for each handler run.
     *
     * @param event        an event of this subscription's name
     * @param attempt      which attempt of this subscription on this event it is, from 1
     * @param traceContext the trace context the event was published with, or null when it carried none
     * @throws NonRetryableException    if the event is not of the type the handler was registered for
     * @throws IllegalArgumentException if {@code attempt} is below 1
     * @throws Exception                whatever the handler throws
     * @since 0.1.0
     */
    public void handle(DomainEvent event, int attempt, TraceContext traceContext) throws Exception {
        Tracing tracing = owner.installedTracing();
        if (tracing == Tracing.NONE) { // no run record nor lambda on the hot path of an untraced application
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
            }
            handle(event);
            return;
        }
        tracing.handle(new HandlerRun(this, event, attempt, traceContext), () -> handle(event));
    }

    /**
     * Runs the handler on an event, in the calling thread, bare: no {@link Tracing} sees it. Transports call
     * {@link #handle(DomainEvent, int, TraceContext)} instead.
     *
     * @param event an event of this subscription's name
     * @throws NonRetryableException if the event is not of the type the handler was registered for
     * @throws Exception             whatever the handler throws
     */
    public void handle(DomainEvent event) throws Exception {
        Objects.requireNonNull(event, "event");
        if (eventType != null && !eventType.isInstance(event)) {
            throw new NonRetryableException("subscription '" + name + "' handles " + eventType.getName()
                    + " but received " + event.getClass().getName() + " for event name '" + eventName + "'");
        }
        handler.handle(event);
    }

    @Override
    public String toString() {
        return "Subscription[" + name + " on " + eventName + "]";
    }
}
