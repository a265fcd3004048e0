package io.hexbus.inmemory.testing;

import io.hexbus.api.event.DomainEvent;

import java.util.List;
import java.util.Objects;

/**
 * An immutable snapshot of published events, to assert on in tests. Filter by type with
 * {@link #ofType(Class)}, then by predicate, and finish with {@link EventsOfType#single()},
 * {@link EventsOfType#assertNone()} or {@link EventsOfType#list()}.
 */
public final class PublishedEvents {

    private final List<DomainEvent> events;

    PublishedEvents(List<DomainEvent> events) {
        this.events = List.copyOf(events);
    }

    /**
     * @return every published event, in publish order
     */
    public List<DomainEvent> all() {
        return events;
    }

    /**
     * @return how many events were published
     */
    public int size() {
        return events.size();
    }

    /**
     * @return true if nothing was published
     */
    public boolean isEmpty() {
        return events.isEmpty();
    }

    /**
     * The events of one type (or a subtype).
     *
     * @param type the event type
     * @param <E>  the event type
     * @return those events, in publish order
     */
    public <E extends DomainEvent> EventsOfType<E> ofType(Class<E> type) {
        Objects.requireNonNull(type, "type");
        return new EventsOfType<>(type.getSimpleName(), events.stream().filter(type::isInstance).map(type::cast)
                .toList());
    }

    /**
     * Fails unless nothing at all was published.
     *
     * @throws AssertionError listing what was published
     */
    public void assertNone() {
        if (!events.isEmpty()) {
            throw new AssertionError("expected no published events but found " + events.size() + ": " + events);
        }
    }

    @Override
    public String toString() {
        return "PublishedEvents" + events;
    }
}
