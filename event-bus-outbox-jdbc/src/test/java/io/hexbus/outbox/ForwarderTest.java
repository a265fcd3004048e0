package io.hexbus.outbox;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.publishing.BatchSpansQueuesException;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.PublishOutcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The relay's forward to a target that writes each of its queues atomically but not several at once. */
class ForwarderTest {

    /** Events with an even number go to queue "even", the others to "odd"; a batch of both is refused whole. */
    private static final class TwoQueueBus implements EventBus {
        final List<List<Integer>> calls = new ArrayList<>();

        @Override
        public List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
            Map<String, List<Integer>> parts = new LinkedHashMap<>();
            for (int i = 0; i < events.size(); i++) {
                parts.computeIfAbsent(((Tick) events.get(i)).number() % 2 == 0 ? "even" : "odd",
                        q -> new ArrayList<>()).add(i);
            }
            if (parts.size() > 1) {
                throw new BatchSpansQueuesException("several queues: " + parts.keySet(), parts);
            }
            calls.add(events.stream().map(e -> ((Tick) e).number()).toList());
            return events.stream().map(e -> PublishOutcome.PUBLISHED).toList();
        }
    }

    @Test
    void aBatchSpanningQueuesIsForwardedOneCallPerQueueInSeqOrder() {
        TwoQueueBus target = new TwoQueueBus();
        List<OutboxRow> rows = new ArrayList<>();
        List<DomainEvent> events = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Tick tick = new Tick(UUID.randomUUID(), Instant.now(), "k", i);
            rows.add(new OutboxRow(i, tick.eventId(), "k", "{}"));
            events.add(tick);
        }

        Forwarder.Outcome outcome = new Forwarder(target).forward(rows, events);

        assertEquals(2, target.calls.size(), "one call per queue: " + target.calls);
        assertEquals(java.util.Set.of(List.of(2, 4), List.of(1, 3, 5)), java.util.Set.copyOf(target.calls));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), outcome.sent().stream().sorted().toList());
        assertEquals(Map.of(), outcome.refused());
    }
}
