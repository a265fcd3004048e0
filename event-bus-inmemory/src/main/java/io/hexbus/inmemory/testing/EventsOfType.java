package io.hexbus.inmemory.testing;

import io.hexbus.api.event.DomainEvent;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Published events of one type, narrowed by predicates. Immutable; each filter returns a new view whose
 * failure messages say what was asked for.
 *
 * @param <E> the event type
 */
public final class EventsOfType<E extends DomainEvent> {

    private final String description;
    private final List<E> events;

    EventsOfType(String description, List<E> events) {
        this.description = description;
        this.events = events;
    }

    /**
     * @param predicate the condition
     * @return the events that meet it
     */
    public EventsOfType<E> matching(Predicate<? super E> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new EventsOfType<>(description + " matching a predicate", events.stream().filter(predicate).toList());
    }

    /**
     * @param extractor reads a value from an event, for example {@code InvoiceIssued::invoiceId}
     * @param expected  the value it must equal
     * @param <T>       the value type
     * @return the events whose value equals {@code expected}
     */
    public <T> EventsOfType<E> matching(Function<? super E, T> extractor, T expected) {
        Objects.requireNonNull(extractor, "extractor");
        return new EventsOfType<>(description + " with a value equal to " + expected,
                events.stream().filter(event -> Objects.equals(extractor.apply(event), expected)).toList());
    }

    /**
     * @return the one event in this view
     * @throws AssertionError if there are none or several, listing them
     */
    public E single() {
        if (events.size() != 1) {
            throw new AssertionError("expected exactly one " + description + " but found " + events.size()
                    + (events.isEmpty() ? "" : ": " + events));
        }
        return events.get(0);
    }

    /**
     * Fails if any event is in this view: "none of these was published".
     *
     * @throws AssertionError listing the events found
     */
    public void assertNone() {
        if (!events.isEmpty()) {
            throw new AssertionError("expected no " + description + " but found " + events.size() + ": " + events);
        }
    }

    /**
     * @return the events, in publish order
     */
    public List<E> list() {
        return events;
    }

    /**
     * @return the events as a stream, in publish order
     */
    public Stream<E> stream() {
        return events.stream();
    }

    /**
     * @return how many events are in this view
     */
    public int size() {
        return events.size();
    }

    /**
     * @return true if no event is in this view
     */
    public boolean isEmpty() {
        return events.isEmpty();
    }
}
