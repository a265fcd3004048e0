package io.hexbus.inmemory;

import io.hexbus.api.testing.MutableClock;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.UnknownEventTypeException;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventNotEncodableException;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EventCodec;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code none} transport: it accepts, refuses and reports duplicates as a queue does, tells the observer of
 * every publish, counts what it accepted, and never runs a handler, not even with a worker started.
 */
class NoDeliveryTransportTest {

    @EventName("test.noted")
    record Noted(UUID eventId, Instant occurredAt, String text) implements DomainEvent {
        static Noted of(String text) {
            return new Noted(EventIds.newId(), Instant.now(), text);
        }
    }

    /** Jackson writes a lambda as {} and reads back a map: not the event that was published. */
    @EventName("test.anything")
    record WithAnything(UUID eventId, Instant occurredAt, Object value) implements DomainEvent {
    }

    record Unregistered(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    /** One line per publish the observer was told of. */
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final List<UUID> handled = new CopyOnWriteArrayList<>();
    /** The names the observer was told were acknowledged without a handler. */
    private final List<String> unhandled = new CopyOnWriteArrayList<>();
    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final NoDeliveryTransport transport;

    NoDeliveryTransportTest() {
        processor.register(Noted.class, "record", (Noted e) -> handled.add(e.eventId()));
        processor.eventTypes().register(WithAnything.class);
        processor.addObserver(new DeliveryObserver() {
            @Override
            public void published(String eventName, UUID eventId, boolean duplicate) {
                published.add(eventName + (duplicate ? " duplicate" : " new"));
            }

            @Override
            public void unhandled(String eventName) {
                unhandled.add(eventName);
            }
        });
        transport = new NoDeliveryTransport(processor, EventCodec.builder(processor.eventTypes()).maxBytes(1_024)
                .build());
    }

    @Test
    void acceptsAndCountsEventsReportsDuplicatesByIdAndRunsNoHandler() {
        QueueWorker worker = transport.startWorker();
        Noted first = Noted.of("first");
        Noted second = Noted.of("second");

        assertEquals(PublishOutcome.PUBLISHED, transport.eventBus().publish(first));
        assertEquals(List.of(PublishOutcome.DUPLICATE, PublishOutcome.PUBLISHED, PublishOutcome.DUPLICATE),
                transport.eventBus().publishAll(List.of(first, second, second)));
        worker.close();

        assertEquals(List.of("test.noted new", "test.noted duplicate", "test.noted new", "test.noted duplicate"),
                published);
        assertEquals(List.of(), handled, "no handler runs on the none transport");
        assertEquals(new QueueStats(NoDeliveryTransport.GROUP, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2), transport.admin().stats());
        assertEquals(List.of("test.noted", "test.noted"), unhandled,
                "the observer's unhandled count agrees with the admin's: once per accepted event, not per duplicate");
        assertEquals("none", transport.name());
    }

    @Test
    void refusesWhatEveryTransportRefusesAndCountsNothingOfARefusedBatch() {
        Noted valid = Noted.of("valid");

        assertThrows(UnknownEventTypeException.class, () -> transport.eventBus().publishAll(List.of(valid,
                new Unregistered(EventIds.newId(), Instant.now()))));
        assertThrows(EventTooLargeException.class, () -> transport.eventBus().publish(Noted.of("x".repeat(2_000))));
        assertThrows(EventNotEncodableException.class, () -> transport.eventBus().publish(
                new WithAnything(EventIds.newId(), Instant.now(), (Runnable) () -> { })));

        assertEquals(List.of(), published, "a refused call is not reported as published");
        assertEquals(List.of(), unhandled);
        assertEquals(0, transport.admin().stats().unhandled());
        assertEquals(PublishOutcome.PUBLISHED, transport.eventBus().publish(valid), "the refused batch left no id");
    }

    @Test
    void withTheWireCheckOffItStillEncodesSoTheSizeLimitHolds() {
        NoDeliveryTransport encodingOnly = new NoDeliveryTransport(processor,
                EventCodec.builder(processor.eventTypes()).maxBytes(1_024).build(),
                InMemoryEventBusSettings.DEFAULT.withWireCheck(false), Clock.systemUTC());

        assertThrows(EventTooLargeException.class, () -> encodingOnly.eventBus().publish(Noted.of("x".repeat(2_000))));
        assertEquals(PublishOutcome.PUBLISHED, encodingOnly.eventBus().publish(Noted.of("short")));
    }

    @Test
    void anIdIsForgottenAfterTheDedupeWindow() {
        MutableClock clock = new MutableClock();
        NoDeliveryTransport windowed = new NoDeliveryTransport(processor, EventCodec.of(processor.eventTypes()),
                new InMemoryEventBusSettings(10, Duration.ofMinutes(10), true), clock);
        Noted event = Noted.of("again");

        windowed.eventBus().publish(event);
        clock.advance(Duration.ofMinutes(10));

        assertEquals(PublishOutcome.PUBLISHED, windowed.eventBus().publish(event));
        assertEquals(2, windowed.admin().stats().unhandled());
    }

    @Test
    void hasNoDeadLettersAndChecksTheAdminArgumentsAsAQueueDoes() {
        UUID id = EventIds.newId();

        assertEquals(0, transport.admin().deadLetters(0, 1_000).total());
        assertTrue(transport.admin().deadLetters(0, 50).items().isEmpty());
        assertTrue(transport.admin().deadLetter(id).isEmpty());
        assertFalse(transport.admin().retry(id));
        assertFalse(transport.admin().remove(id));
        assertEquals(0, transport.admin().retryAll());
        assertEquals(0, transport.admin().cleanDeadLetters(Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> transport.admin().deadLetters(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> transport.admin().deadLetters(0, 1_001));
        assertThrows(IllegalArgumentException.class, () -> transport.admin().cleanDeadLetters(Duration.ZERO));
    }

    @Test
    void onceClosedItRefusesToPublishOrStartAWorkerAndClosingAgainIsHarmless() {
        transport.close();
        transport.close();

        EventPublishingException publish = assertThrows(EventPublishingException.class,
                () -> transport.eventBus().publish(Noted.of("late")));
        assertInstanceOf(TransportUnavailableException.class, publish.getCause());
        assertThrows(TransportUnavailableException.class, () -> transport.admin().stats());
        assertThrows(TransportUnavailableException.class, () -> transport.admin().retryAll());
        IllegalStateException worker = assertThrows(IllegalStateException.class, transport::startWorker);
        assertFalse(worker instanceof TransportUnavailableException, "a closed transport is a caller's bug here");
        assertEquals(List.of(), published);
    }

    @Test
    void refusesACodecOfAnotherRegistry() {
        assertThrows(IllegalArgumentException.class, () -> new NoDeliveryTransport(processor,
                EventCodec.of(new EventTypeRegistry())));
    }
}
