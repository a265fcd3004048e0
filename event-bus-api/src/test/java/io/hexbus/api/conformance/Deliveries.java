package io.hexbus.api.conformance;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.EventHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records every delivery to the handlers of a test, from any thread.
 */
public final class Deliveries {

    /** One handler call. */
    public record Delivery(String subscription, DomainEvent event) {
    }

    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();

    /**
     * @param subscription the name the handler is registered under
     * @param <E>          the event type
     * @return a handler that records each event it receives
     */
    public <E extends DomainEvent> EventHandler<E> recorder(String subscription) {
        return event -> deliveries.add(new Delivery(subscription, event));
    }

    /**
     * @param subscription the name the handler is registered under
     * @param failure      what the handler throws after recording the event
     * @param <E>          the event type
     * @return a handler that records each event, then throws
     */
    public <E extends DomainEvent> EventHandler<E> failing(String subscription, RuntimeException failure) {
        return event -> {
            deliveries.add(new Delivery(subscription, event));
            throw failure;
        };
    }

    /**
     * @return every delivery, in the order they were recorded
     */
    public List<Delivery> all() {
        return new ArrayList<>(deliveries);
    }

    /**
     * @param subscription a subscription name
     * @return the events it received, in order
     */
    public List<DomainEvent> to(String subscription) {
        return deliveries.stream().filter(d -> d.subscription().equals(subscription)).map(Delivery::event).toList();
    }

    /**
     * @param subscription a subscription name
     * @return the ids of the events it received, in order
     */
    public List<UUID> idsTo(String subscription) {
        return to(subscription).stream().map(DomainEvent::eventId).toList();
    }
}
