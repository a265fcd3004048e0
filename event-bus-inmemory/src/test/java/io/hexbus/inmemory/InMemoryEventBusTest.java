package io.hexbus.inmemory;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.SubscriptionFailure;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.api.publishing.PublishOutcome;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the in-memory transport does beyond the shared contract: its bounded dedupe window and its errors. */
class InMemoryEventBusTest {

    @EventName("test.pinged")
    record Pinged(UUID eventId, Instant occurredAt) implements DomainEvent {
        static Pinged fresh() {
            return new Pinged(EventIds.newId(), Instant.now());
        }
    }

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final List<UUID> handled = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();

    InMemoryEventBusTest() {
        processor.register(Pinged.class, "record", (Pinged e) -> handled.add(e.eventId()));
    }

    @Test
    void anIdOlderThanTheDedupeWindowIsDeliveredAgain() {
        InMemoryEventBus bus = new InMemoryEventBus(processor,
                new InMemoryEventBusSettings(100, Duration.ofMinutes(10), true), clock);
        Pinged event = Pinged.fresh();
        bus.publish(event);

        clock.advance(Duration.ofMinutes(9));
        assertEquals(PublishOutcome.DUPLICATE, bus.publish(event));
        clock.advance(Duration.ofMinutes(1));
        assertEquals(PublishOutcome.PUBLISHED, bus.publish(event));

        assertEquals(List.of(event.eventId(), event.eventId()), handled);
    }

    @Test
    void theDedupeWindowForgetsTheOldestIdsBeyondItsCapacity() {
        InMemoryEventBus bus = new InMemoryEventBus(processor,
                new InMemoryEventBusSettings(3, Duration.ofDays(1), true), clock);
        List<Pinged> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(Pinged.fresh());
            bus.publish(events.get(i));
        }

        assertEquals(PublishOutcome.DUPLICATE, bus.publish(events.get(3)), "the newest is remembered");
        assertEquals(PublishOutcome.DUPLICATE, bus.publish(events.get(1)));
        assertEquals(PublishOutcome.PUBLISHED, bus.publish(events.get(0)), "the oldest was forgotten");
    }

    @Test
    void memoryStaysBoundedByTheCapacity() {
        RecentEventIds ids = new RecentEventIds(new InMemoryEventBusSettings(1_000, Duration.ofDays(1), true), clock);
        for (int i = 0; i < 50_000; i++) {
            ids.markSeen(UUID.randomUUID());
        }
        assertEquals(1_000, ids.size());
    }

    @Test
    void aHandlerFailureStillCountsTheEventAsPublished() {
        processor.register(Pinged.class, "broken", (Pinged e) -> {
            throw new IllegalStateException("down");
        });
        InMemoryEventBus bus = new InMemoryEventBus(processor);
        Pinged event = Pinged.fresh();

        assertThrows(EventHandlingException.class, () -> bus.publish(event));

        assertEquals(PublishOutcome.DUPLICATE, bus.publish(event), "no silent second delivery on a re-publish");
        assertEquals(List.of(event.eventId()), handled);
    }

    @Test
    void failuresOfFollowUpEventsSurfaceFromTheOutermostPublish() {
        InMemoryEventBus bus = new InMemoryEventBus(processor);
        Pinged followUp = Pinged.fresh();
        processor.register(Pinged.class, "chain", (Pinged e) -> {
            if (!e.eventId().equals(followUp.eventId())) {
                bus.publish(followUp);
            } else {
                throw new IllegalArgumentException("follow-up refused");
            }
        });

        Pinged first = Pinged.fresh();
        EventHandlingException thrown = assertThrows(EventHandlingException.class, () -> bus.publish(first));

        assertEquals(followUp.eventId(), thrown.failures().get(0).eventId());
        assertEquals(List.of(first.eventId(), followUp.eventId()), handled);
    }

    @Test
    void aNullEventIdIsRefusedNamingTheType() {
        InMemoryEventBus bus = new InMemoryEventBus(processor);

        NullPointerException thrown = assertThrows(NullPointerException.class,
                () -> bus.publish(new Pinged(null, Instant.now())));

        assertEquals(Pinged.class.getName() + ".eventId() is null", thrown.getMessage());
    }

    @Test
    void aHandlersErrorIsItsFailureAndTheOtherHandlersStillRunAsOnTheQueue() {
        processor.register(Pinged.class, "overflows", (Pinged e) -> {
            throw new StackOverflowError();
        });
        processor.register(Pinged.class, "asserts", (Pinged e) -> {
            throw new AssertionError("assert failed");
        });
        processor.register(Pinged.class, "after", (Pinged e) -> handled.add(e.eventId()));
        InMemoryEventBus bus = new InMemoryEventBus(processor);
        Pinged event = Pinged.fresh();

        EventHandlingException thrown = assertThrows(EventHandlingException.class, () -> bus.publish(event));

        assertEquals(List.of("overflows", "asserts"),
                thrown.failures().stream().map(SubscriptionFailure::subscription).toList());
        assertEquals(List.of(event.eventId(), event.eventId()), handled, "'record' and 'after' ran");
    }

    @Test
    void aFatalErrorEndsThePublish() {
        processor.register(Pinged.class, "out-of-memory", (Pinged e) -> {
            throw new OutOfMemoryError("test");
        });
        InMemoryEventBus bus = new InMemoryEventBus(processor);

        assertThrows(OutOfMemoryError.class, () -> bus.publish(Pinged.fresh()));
    }

    @Test
    void settingsOutOfBoundsAreRefusedNamingTheSetting() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> new InMemoryEventBusSettings(0, Duration.ofDays(1), true));
        assertEquals("dedupeCapacity must be at least 1, got 0", thrown.getMessage());
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
