package io.hexbus.scheduling;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.PublishOutcome;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Our own port, wrapped: records every publish call and its outcome, and can fail the next calls as a transport
 * that is down would.
 */
final class RecordingBus implements EventBus {

    record Call(String instance, UUID eventId, PublishOutcome outcome) {
    }

    private final String instance;
    private final EventBus delegate;
    private final List<Call> calls;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();

    RecordingBus(String instance, EventBus delegate, List<Call> calls) {
        this.instance = instance;
        this.delegate = delegate;
        this.calls = calls;
    }

    RecordingBus(EventBus delegate) {
        this("only", delegate, new CopyOnWriteArrayList<>());
    }

    void failNext(int count) {
        failuresLeft.set(count);
    }

    int attempts() {
        return attempts.get();
    }

    List<Call> calls() {
        return calls;
    }

    @Override
    public List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
        attempts.incrementAndGet();
        if (failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
            throw new EventPublishingException("test transport is down", null);
        }
        List<PublishOutcome> outcomes = delegate.publishAll(events);
        for (int i = 0; i < events.size(); i++) {
            calls.add(new Call(instance, events.get(i).eventId(), outcomes.get(i)));
        }
        return outcomes;
    }
}
