package io.hexbus.inmemory;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.TraceContext;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * The delayed events of one {@link InMemoryEventBus} not yet dispatched, by due time on the bus's clock; events due
 * at the same instant keep their publish order. Thread-safe (one lock); holds nothing but the events.
 */
final class DelayedEvents {

    /** One delayed event: when it is due, its publish order, the event, its name and its trace context (or null). */
    record Due(Instant at, long sequence, DomainEvent event, String name, TraceContext trace) {
    }

    private final PriorityQueue<Due> queue = new PriorityQueue<>(
            Comparator.comparing(Due::at).thenComparingLong(Due::sequence));
    private final Clock clock;
    private long sequence;
    private int dispatching;

    DelayedEvents(Clock clock) {
        this.clock = clock;
    }

    synchronized void add(Instant at, DomainEvent event, String name, TraceContext trace) {
        queue.add(new Due(at, sequence++, event, name, trace));
    }

    /**
     * Takes the events due by the clock, in due order; they count as {@link #size()} until
     * {@link #dispatched(int)} says they ran.
     */
    synchronized List<Due> takeDue() {
        Instant now = clock.instant();
        List<Due> due = new ArrayList<>();
        while (!queue.isEmpty() && !queue.peek().at().isAfter(now)) {
            due.add(queue.poll());
        }
        dispatching += due.size();
        return due;
    }

    synchronized void dispatched(int count) {
        dispatching -= count;
    }

    /** @return the earliest due time of the events waiting, if any */
    synchronized Optional<Instant> nextDue() {
        return queue.isEmpty() ? Optional.empty() : Optional.of(queue.peek().at());
    }

    /** @return the events waiting or being dispatched */
    synchronized int size() {
        return queue.size() + dispatching;
    }

    /** Forgets the events waiting; @return how many */
    synchronized int clear() {
        int dropped = queue.size();
        queue.clear();
        return dropped;
    }
}
