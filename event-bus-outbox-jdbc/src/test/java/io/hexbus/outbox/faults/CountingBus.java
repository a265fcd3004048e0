package io.hexbus.outbox.faults;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.PublishOutcome;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's target as the test sees it: the real transport's bus, counting what the relay handed it and how many of
 * those the transport's event-id idempotency absorbed as duplicates (a batch forwarded again). Thread-safe.
 */
final class CountingBus implements EventBus {

    private final EventBus target;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();

    CountingBus(EventBus target) {
        this.target = target;
    }

    @Override
    public List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
        List<PublishOutcome> outcomes;
        try {
            outcomes = target.publishAll(events);
        } catch (RuntimeException e) {
            failedCalls.incrementAndGet();
            throw e;
        }
        long repeated = outcomes.stream().filter(PublishOutcome::isDuplicate).count();
        duplicates.addAndGet(repeated);
        published.addAndGet(outcomes.size() - repeated);
        return outcomes;
    }

    /** @return events the transport accepted as new */
    long published() {
        return published.get();
    }

    /** @return events the transport answered DUPLICATE: forwarded again, delivered once */
    long duplicates() {
        return duplicates.get();
    }

    /** @return calls that failed (the transport unreachable) */
    long failedCalls() {
        return failedCalls.get();
    }

    @Override
    public String toString() {
        return "target accepted " + published() + " new, absorbed " + duplicates() + " duplicates, "
                + failedCalls() + " failed calls";
    }
}
