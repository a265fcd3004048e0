package io.hexbus.inmemory;

import io.hexbus.api.testing.MutableClock;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.PublishOptions;
import io.hexbus.api.publishing.PublishOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delayed events on the in-memory bus: due by its clock, dispatched on its timer thread or by {@code runDue}. */
class InMemoryDelayedEventsTest {

    @EventName("test.reminded")
    record Reminded(UUID eventId, Instant occurredAt, String note) implements DomainEvent {
        static Reminded of(String note) {
            return new Reminded(EventIds.newId(), Instant.now(), note);
        }
    }

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final InMemoryEventBus bus = new InMemoryEventBus(processor, InMemoryEventBusSettings.DEFAULT, clock);

    InMemoryDelayedEventsTest() {
        processor.register(Reminded.class, "notes", (Reminded e) -> handled.add(e.note()));
    }

    @AfterEach
    void closeBus() {
        bus.close();
    }

    @Test
    void delayedEventsRunOnceDueByTheBusClockInDueThenPublishOrder() {
        bus.publish(Reminded.of("in an hour"), PublishOptions.deliverAfter(Duration.ofHours(1)));
        bus.publishAll(List.of(Reminded.of("at noon, first"), Reminded.of("at noon, second")),
                PublishOptions.deliverAt(Instant.parse("2026-01-01T12:00:00Z")));

        assertEquals(0, bus.runDue(), "nothing is due yet");
        assertEquals(3, bus.scheduled());
        clock.advance(Duration.ofHours(1));
        assertEquals(1, bus.runDue());
        assertEquals(List.of("in an hour"), handled);
        clock.advance(Duration.ofHours(11));
        assertEquals(2, bus.runDue());

        assertEquals(List.of("in an hour", "at noon, first", "at noon, second"), handled);
        assertEquals(0, bus.scheduled());
    }

    @Test
    void aDelayedIdIsADuplicateWhetherPublishedAgainDelayedOrNot() {
        Reminded event = Reminded.of("once");

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(event, PublishOptions.deliverAfter(Duration.ofMinutes(1))));
        assertEquals(PublishOutcome.DUPLICATE, bus.publish(event, PublishOptions.deliverAfter(Duration.ofMinutes(1))));
        assertEquals(PublishOutcome.DUPLICATE, bus.publish(event));
        clock.advance(Duration.ofMinutes(1));
        bus.runDue();

        assertEquals(List.of("once"), handled);
    }

    @Test
    void anInstantNotAfterTheBusClockIsAnOrdinaryPublish() {
        bus.publish(Reminded.of("now"), PublishOptions.deliverAt(clock.instant()));

        assertEquals(List.of("now"), handled, "dispatched in the caller's thread, before publish returned");
        assertEquals(0, bus.scheduled());
    }

    @Test
    void runDueThrowsTheFailuresOfDueHandlersAfterAllRan() {
        processor.register(Reminded.class, "broken", (Reminded e) -> {
            throw new IllegalStateException("no printer");
        });
        bus.publishAll(List.of(Reminded.of("a"), Reminded.of("b")), PublishOptions.deliverAfter(Duration.ofSeconds(1)));
        clock.advance(Duration.ofSeconds(1));

        EventHandlingException failed = assertThrows(EventHandlingException.class, bus::runDue);

        assertEquals(2, failed.failures().size());
        assertEquals(List.of("a", "b"), handled);
        assertEquals(0, bus.scheduled());
    }

    @Test
    void theTimerThreadDispatchesADelayedEventOnTheSystemClock() {
        InMemoryEventBus onSystemTime = new InMemoryEventBus(processor);
        try {
            processor.register(Reminded.class, "thread", (Reminded e) -> handled.add(Thread.currentThread().getName()));
            onSystemTime.publish(Reminded.of("soon"), PublishOptions.deliverAfter(Duration.ofMillis(200)));

            await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 2);
            assertTrue(handled.containsAll(List.of("soon", "hexbus-inmemory-delayed")), handled::toString);
            await().atMost(Duration.ofSeconds(10)).until(() -> onSystemTime.scheduled() == 0);
        } finally {
            onSystemTime.close();
        }
    }

    @Test
    void closeDropsWhatWaitsAndRefusesLaterDelayedPublishesButNotImmediateOnes() {
        bus.publish(Reminded.of("dropped"), PublishOptions.deliverAfter(Duration.ofMinutes(1)));

        bus.close();
        clock.advance(Duration.ofMinutes(1));

        assertEquals(0, bus.runDue());
        assertEquals(0, bus.scheduled());
        assertThrows(EventPublishingException.class,
                () -> bus.publish(Reminded.of("late"), PublishOptions.deliverAfter(Duration.ofMinutes(1))));
        bus.publish(Reminded.of("now"));
        assertEquals(List.of("now"), handled);
    }
}
