package io.hexbus.inmemory.testing;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.publishing.PublishOptions;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An immutable snapshot of published events, to assert on in tests. Filter by type with
 * {@link #ofType(Class)}, then by predicate, and finish with {@link EventsOfType#single()},
 * {@link EventsOfType#assertNone()} or {@link EventsOfType#list()}.
 */
public final class PublishedEvents {

    private final List<DomainEvent> events;
    private final Map<UUID, PublishOptions> options;

    PublishedEvents(List<DomainEvent> events, Map<UUID, PublishOptions> options) {
        this.events = List.copyOf(events);
        this.options = Map.copyOf(options);
    }

    /**
     * The options an event was published with: {@link PublishOptions#NOW} unless it was delayed, when its
     * {@link PublishOptions#deliverAt()} or {@link PublishOptions#deliverAfter()} says when it is due.
     *
     * @param event a published event (matched by id)
     * @return its options
     * @throws AssertionError if no event of that id was published
     */
    public PublishOptions optionsOf(DomainEvent event) {
        Objects.requireNonNull(event, "event");
        PublishOptions found = options.get(event.eventId());
        if (found == null) {
            throw new AssertionError("event " + event.eventId() + " was not published; published: " + events);
        }
        return found;
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
