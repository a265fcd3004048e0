package io.hexbus.inmemory.testing;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.UnknownEventTypeException;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.api.publishing.EventNotEncodableException;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.InvalidOrderingKeyException;
import io.hexbus.api.publishing.PublishOptions;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.codec.EventCodec;
import io.hexbus.inmemory.InMemoryEventBus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordingEventBusTest {

    @EventName("test.order-placed")
    record OrderPlaced(UUID eventId, Instant occurredAt, String orderId, long cents) implements DomainEvent {
        static OrderPlaced of(String orderId, long cents) {
            return new OrderPlaced(EventIds.newId(), Instant.now(), orderId, cents);
        }
    }

    @EventName("test.order-cancelled")
    record OrderCancelled(UUID eventId, Instant occurredAt, String orderId) implements DomainEvent {
    }

    @EventName("test.order-shipped")
    record OrderShipped(UUID eventId, Instant occurredAt, String orderId, ZonedDateTime shippedAt)
            implements DomainEvent {
    }

    @EventName("test.order-noted")
    record OrderNoted(UUID eventId, Instant occurredAt, String orderId) implements DomainEvent {
        @Override
        public String orderingKey() {
            return orderId;
        }
    }

    /** An ordering key that is not derived from the components: it changes once the event is read back. */
    @EventName("test.order-touched")
    record OrderTouched(UUID eventId, Instant occurredAt, String orderId) implements DomainEvent {
        private static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public String orderingKey() {
            return orderId + "-" + CALLS.incrementAndGet();
        }
    }

    record Unannotated(UUID eventId, Instant occurredAt, String orderId) implements DomainEvent {
    }

    private final RecordingEventBus bus = new RecordingEventBus();

    @Test
    void findsTheSingleEventOfATypeMatchingAValue() {
        OrderPlaced small = OrderPlaced.of("o-1", 500);
        OrderPlaced large = OrderPlaced.of("o-2", 90_000);
        bus.publishAll(List.of(small, large));

        assertEquals(large, bus.events().ofType(OrderPlaced.class).matching(OrderPlaced::orderId, "o-2").single());
        assertEquals(small, bus.events().ofType(OrderPlaced.class).matching(e -> e.cents() < 1_000).single());
        assertEquals(List.of(small, large), bus.events().ofType(OrderPlaced.class).list());
    }

    @Test
    void singleFailsWithWhatWasAskedAndWhatWasFound() {
        bus.publish(OrderPlaced.of("o-1", 1));
        bus.publish(OrderPlaced.of("o-2", 2));

        AssertionError several = assertThrows(AssertionError.class, () -> bus.events().ofType(OrderPlaced.class).single());
        AssertionError none = assertThrows(AssertionError.class,
                () -> bus.events().ofType(OrderPlaced.class).matching(OrderPlaced::orderId, "o-9").single());

        assertTrue(several.getMessage().startsWith("expected exactly one OrderPlaced but found 2: ["),
                several.getMessage());
        assertEquals("expected exactly one OrderPlaced with a value equal to o-9 but found 0", none.getMessage());
    }

    @Test
    void assertNoneFailsListingTheUnexpectedEvents() {
        OrderCancelled cancelled = new OrderCancelled(EventIds.newId(), Instant.now(), "o-1");
        bus.publish(OrderPlaced.of("o-1", 1));

        bus.events().ofType(OrderCancelled.class).assertNone();
        bus.publish(cancelled);
        AssertionError thrown = assertThrows(AssertionError.class,
                () -> bus.events().ofType(OrderCancelled.class).assertNone());
        assertThrows(AssertionError.class, () -> bus.events().assertNone());

        assertEquals("expected no OrderCancelled but found 1: [" + cancelled + "]", thrown.getMessage());
    }

    @Test
    void aRepeatedIdIsReportedAsDuplicateAndRecordedOnce() {
        OrderPlaced event = OrderPlaced.of("o-1", 1);

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(event));
        assertEquals(List.of(PublishOutcome.DUPLICATE), bus.publishAll(List.of(event)));

        assertEquals(List.of(event), bus.events().all());
    }

    @Test
    void forwardingRecordsAndRunsTheRealHandlers() {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        List<String> handled = new ArrayList<>();
        processor.register(OrderPlaced.class, "collect", (OrderPlaced e) -> handled.add(e.orderId()));
        RecordingEventBus forwarding = RecordingEventBus.forwardingTo(new InMemoryEventBus(processor));

        forwarding.publish(OrderPlaced.of("o-7", 7));

        assertEquals(List.of("o-7"), handled);
        assertEquals("o-7", forwarding.events().ofType(OrderPlaced.class).single().orderId());
    }

    @Test
    void anEventWhoseHandlersFailedWasStillPublished() {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.register(OrderPlaced.class, "broken", (OrderPlaced e) -> {
            throw new IllegalStateException("down");
        });
        RecordingEventBus forwarding = RecordingEventBus.forwardingTo(new InMemoryEventBus(processor));
        OrderPlaced event = OrderPlaced.of("o-1", 1);

        assertThrows(EventHandlingException.class, () -> forwarding.publish(event));

        assertEquals(List.of(event), forwarding.events().all());
    }

    @Test
    void aRefusedPublishRecordsNothing() {
        RecordingEventBus forwarding = RecordingEventBus.forwardingTo(
                new InMemoryEventBus(new DomainEventsProcessor(new EventTypeRegistry())));
        record Unnamed(UUID eventId, Instant occurredAt) implements DomainEvent {
        }

        assertThrows(UnknownEventTypeException.class,
                () -> forwarding.publish(new Unnamed(EventIds.newId(), Instant.now())));

        assertTrue(forwarding.events().isEmpty());
    }

    @Test
    void aloneItRefusesWhatAQueueWouldRefuseAndRecordsNothingOfTheBatch() {
        OrderPlaced valid = OrderPlaced.of("o-1", 1);
        Unannotated unannotated = new Unannotated(EventIds.newId(), Instant.now(), "o-2");
        OrderPlaced oversized = OrderPlaced.of("x".repeat(2 * EventCodec.DEFAULT_MAX_BYTES), 2);
        OrderShipped zoned = new OrderShipped(EventIds.newId(), Instant.now(), "o-3",
                ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneId.of("Europe/Paris")));

        assertThrows(UnknownEventTypeException.class, () -> bus.publish(unannotated));
        assertThrows(EventTooLargeException.class, () -> bus.publish(oversized));
        EventNotEncodableException notEncodable = assertThrows(EventNotEncodableException.class,
                () -> bus.publish(zoned));
        assertThrows(UnknownEventTypeException.class, () -> bus.publishAll(List.of(valid, unannotated)));
        assertThrows(EventTooLargeException.class, () -> bus.publishAll(List.of(valid, oversized)));
        assertThrows(EventNotEncodableException.class, () -> bus.publishAll(List.of(valid, zoned)));

        assertTrue(notEncodable.getMessage().contains("shippedAt"), notEncodable.getMessage());
        assertTrue(bus.events().isEmpty());
        assertEquals(PublishOutcome.PUBLISHED, bus.publish(valid), "the refused batches left no trace of its id");
    }

    @Test
    void itRefusesAnInvalidOrderingKeyAsAQueueWouldAndOneThatChangesWhenReadBack() {
        OrderNoted blank = new OrderNoted(EventIds.newId(), Instant.now(), " ");
        OrderNoted missing = new OrderNoted(EventIds.newId(), Instant.now(), null);
        OrderTouched unstable = new OrderTouched(EventIds.newId(), Instant.now(), "o-1");

        assertThrows(InvalidOrderingKeyException.class, () -> bus.publish(blank));
        assertThrows(InvalidOrderingKeyException.class, () -> bus.publishAll(List.of(OrderPlaced.of("o-2", 1), missing)));
        InvalidOrderingKeyException changing = assertThrows(InvalidOrderingKeyException.class,
                () -> bus.publish(unstable));

        assertTrue(changing.getMessage().contains("changes when the event is read back"), changing.getMessage());
        assertTrue(bus.events().isEmpty());
        assertEquals(PublishOutcome.PUBLISHED, bus.publish(new OrderNoted(EventIds.newId(), Instant.now(), "o-3")));
    }

    @Test
    void withTheApplicationsCodecItKnowsTypesRegisteredByAnExplicitName() {
        EventCodec codec = EventCodec.of(new EventTypeRegistry().register("test.unannotated", Unannotated.class));
        RecordingEventBus recorder = new RecordingEventBus(codec);
        Unannotated event = new Unannotated(EventIds.newId(), Instant.now(), "o-1");

        assertEquals(PublishOutcome.PUBLISHED, recorder.publish(event));

        assertEquals(event, recorder.events().ofType(Unannotated.class).single());
        assertThrows(UnknownEventTypeException.class, () -> bus.publish(event), "the default recorder does not");
    }

    @Test
    void withTheApplicationsCodecItAppliesThatCodecsSizeLimit() {
        RecordingEventBus recorder = new RecordingEventBus(
                EventCodec.builder(new EventTypeRegistry()).maxBytes(2048).build());
        OrderPlaced event = OrderPlaced.of("x".repeat(4096), 1);

        assertThrows(EventTooLargeException.class, () -> recorder.publish(event));

        assertTrue(recorder.events().isEmpty());
        assertEquals(PublishOutcome.PUBLISHED, bus.publish(event), "within the default 1 MiB");
    }

    @Test
    void clearForgetsEventsAndIds() {
        OrderPlaced event = OrderPlaced.of("o-1", 1);
        bus.publish(event);

        bus.clear();

        assertTrue(bus.events().isEmpty());
        assertEquals(PublishOutcome.PUBLISHED, bus.publish(event));
    }

    @Test
    void recordsTheOptionsOfADelayedPublish() {
        OrderPlaced now = OrderPlaced.of("o-1", 500);
        OrderPlaced later = OrderPlaced.of("o-2", 500);
        PublishOptions inAnHour = PublishOptions.deliverAfter(Duration.ofHours(1));

        bus.publish(now);
        assertEquals(PublishOutcome.PUBLISHED, bus.publish(later, inAnHour));
        assertEquals(PublishOutcome.DUPLICATE, bus.publish(later, PublishOptions.deliverAfter(Duration.ofHours(2))));

        assertEquals(PublishOptions.NOW, bus.events().optionsOf(now));
        assertEquals(inAnHour, bus.events().optionsOf(later), "the first publish's options: the duplicate changed none");
        assertEquals(List.of(now, later), bus.events().all());
        assertThrows(AssertionError.class, () -> bus.events().optionsOf(OrderPlaced.of("o-3", 1)));
    }

    @Test
    void forwardsADelayedPublishWithItsOptions() {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        List<String> handled = new ArrayList<>();
        processor.register(OrderPlaced.class, "orders", (OrderPlaced e) -> handled.add(e.orderId()));
        try (InMemoryEventBus inMemory = new InMemoryEventBus(processor)) {
            RecordingEventBus forwarding = RecordingEventBus.forwardingTo(inMemory);
            OrderPlaced later = OrderPlaced.of("o-1", 500);

            forwarding.publish(later, PublishOptions.deliverAfter(Duration.ofHours(1)));

            assertEquals(List.of(), handled, "not dispatched by publish: it waits in the bus");
            assertEquals(1, inMemory.scheduled());
            assertEquals(Duration.ofHours(1), forwarding.events().optionsOf(later).deliverAfter());
        }
    }
}
