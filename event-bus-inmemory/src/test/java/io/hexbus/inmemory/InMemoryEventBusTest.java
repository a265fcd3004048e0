package io.hexbus.inmemory;

import io.hexbus.api.testing.MutableClock;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.UnknownEventTypeException;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.SubscriptionFailure;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.api.publishing.EventNotEncodableException;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.InvalidOrderingKeyException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.codec.EventCodec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the in-memory transport does beyond the shared contract: its bounded dedupe window, its errors, and the
 * wire check that refuses what a queue could not carry unchanged.
 */
class InMemoryEventBusTest {

    @EventName("test.pinged")
    record Pinged(UUID eventId, Instant occurredAt) implements DomainEvent {
        static Pinged fresh() {
            return new Pinged(EventIds.newId(), Instant.now());
        }
    }

    /** A zone id is not part of a date-time's JSON form: it reads back as a bare offset. */
    @EventName("test.meeting-scheduled")
    record MeetingScheduled(UUID eventId, Instant occurredAt, ZonedDateTime startsAt) implements DomainEvent {
    }

    /** No public field or getter: nothing for a codec to write. */
    static final class RoomKey {
        private final String code;

        RoomKey(String code) {
            this.code = code;
        }
    }

    @EventName("test.room-booked")
    record RoomBooked(UUID eventId, Instant occurredAt, RoomKey key) implements DomainEvent {
    }

    @EventName("test.noted")
    record Noted(UUID eventId, Instant occurredAt, String note) implements DomainEvent {
    }

    @EventName("test.noted-on-a-ticket")
    record NotedOnATicket(UUID eventId, Instant occurredAt, String ticketId) implements DomainEvent {
        @Override
        public String orderingKey() {
            return ticketId;
        }
    }

    private static final ZonedDateTime NINE_IN_PARIS =
            ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneId.of("Europe/Paris"));

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final List<UUID> handled = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();

    private final List<DomainEvent> received = new CopyOnWriteArrayList<>();

    InMemoryEventBusTest() {
        processor.register(Pinged.class, "record", (Pinged e) -> handled.add(e.eventId()));
        processor.register(MeetingScheduled.class, "calendar", received::add);
        processor.register(RoomBooked.class, "rooms", received::add);
        processor.register(Noted.class, "notes", received::add);
        processor.register(NotedOnATicket.class, "tickets", received::add);
    }

    @Test
    void withTheWireCheckOnOrOffAnInvalidOrderingKeyIsRefusedAsOnAQueue() {
        for (boolean wireCheck : List.of(true, false)) {
            InMemoryEventBus bus = new InMemoryEventBus(processor,
                    InMemoryEventBusSettings.DEFAULT.withWireCheck(wireCheck), clock);
            for (String key : Arrays.asList(null, " ", "t".repeat(DomainEvent.MAX_ORDERING_KEY_LENGTH + 1))) {
                NotedOnATicket event = new NotedOnATicket(EventIds.newId(), Instant.now(), key);
                assertThrows(InvalidOrderingKeyException.class, () -> bus.publish(event), "wire check " + wireCheck);
                assertThrows(InvalidOrderingKeyException.class,
                        () -> bus.publishAll(List.of(Pinged.fresh(), event)), "wire check " + wireCheck);
            }
            NotedOnATicket valid = new NotedOnATicket(EventIds.newId(), Instant.now(), "T-1");
            assertEquals(PublishOutcome.PUBLISHED, bus.publish(valid));
        }

        assertEquals(2, received.size(), "one valid event per bus, nothing of the refused ones");
        assertEquals(List.of(), handled, "a refused batch runs none of its events");
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

    @Test
    void anEventThatReadsBackDifferentIsRefusedBeforeAnyHandlerAndItsIdIsNotRemembered() {
        InMemoryEventBus bus = new InMemoryEventBus(processor);
        UUID id = EventIds.newId();
        Instant now = Instant.now();

        EventNotEncodableException thrown = assertThrows(EventNotEncodableException.class,
                () -> bus.publish(new MeetingScheduled(id, now, NINE_IN_PARIS)));

        assertTrue(thrown.getMessage().contains("test.meeting-scheduled") && thrown.getMessage().contains("startsAt"),
                thrown.getMessage());
        assertEquals(List.of(), received);
        // As on a queue, a refused event was never published: once fixed, the same id is new.
        MeetingScheduled fixed = new MeetingScheduled(id, now,
                NINE_IN_PARIS.withZoneSameInstant(ZoneOffset.ofHours(1)));
        assertEquals(PublishOutcome.PUBLISHED, bus.publish(fixed));
        assertEquals(List.of(fixed), received);
    }

    @Test
    void anEventThatCannotBeWrittenRefusesItsWholeBatchBeforeAnyHandler() {
        InMemoryEventBus bus = new InMemoryEventBus(processor);
        Noted before = new Noted(EventIds.newId(), Instant.now(), "before");
        RoomBooked unwritable = new RoomBooked(EventIds.newId(), Instant.now(), new RoomKey("R-12"));

        EventNotEncodableException thrown = assertThrows(EventNotEncodableException.class,
                () -> bus.publishAll(List.of(before, unwritable)));

        assertTrue(thrown.getMessage().contains(RoomBooked.class.getName()), thrown.getMessage());
        assertEquals(List.of(), received);
        assertEquals(PublishOutcome.PUBLISHED, bus.publish(before), "the refused batch left no trace of its ids");
    }

    @Test
    void anEventOverTheCodecsSizeLimitIsRefused() {
        EventCodec small = EventCodec.builder(processor.eventTypes()).maxBytes(2048).build();
        InMemoryEventBus bus = new InMemoryEventBus(processor, InMemoryEventBusSettings.DEFAULT, clock, small);

        assertThrows(EventTooLargeException.class,
                () -> bus.publish(new Noted(EventIds.newId(), Instant.now(), "x".repeat(4096))));

        assertEquals(List.of(), received);
    }

    @Test
    void withoutTheWireCheckSuchEventsAreDispatchedAsTheyAre() {
        InMemoryEventBus bus = new InMemoryEventBus(processor, InMemoryEventBusSettings.DEFAULT.withWireCheck(false),
                clock);
        MeetingScheduled inParis = new MeetingScheduled(EventIds.newId(), Instant.now(), NINE_IN_PARIS);
        RoomBooked unwritable = new RoomBooked(EventIds.newId(), Instant.now(), new RoomKey("R-12"));
        Noted huge = new Noted(EventIds.newId(), Instant.now(), "x".repeat(2 * EventCodec.DEFAULT_MAX_BYTES));

        assertEquals(List.of(PublishOutcome.PUBLISHED, PublishOutcome.PUBLISHED, PublishOutcome.PUBLISHED),
                bus.publishAll(List.of(inParis, unwritable, huge)));

        assertEquals(List.of(inParis, unwritable, huge), received);
        assertSame(NINE_IN_PARIS, ((MeetingScheduled) received.get(0)).startsAt());
        record Unnamed(UUID eventId, Instant occurredAt) implements DomainEvent {
        }
        assertThrows(UnknownEventTypeException.class,
                () -> bus.publish(new Unnamed(EventIds.newId(), Instant.now())), "a name is needed all the same");
    }

    @Test
    void aCodecOverAnotherRegistryIsRefused() {
        EventCodec elsewhere = EventCodec.of(new EventTypeRegistry());

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> new InMemoryEventBus(processor, InMemoryEventBusSettings.DEFAULT, clock, elsewhere));

        assertTrue(thrown.getMessage().startsWith("the codec reads another EventTypeRegistry than the processor's"),
                thrown.getMessage());
    }

    @Test
    void theWireCheckIsOnByDefault() {
        assertTrue(InMemoryEventBusSettings.DEFAULT.wireCheck());
    }

    @Test
    void eachWitherChangesItsSettingAlone() {
        InMemoryEventBusSettings settings = InMemoryEventBusSettings.DEFAULT;

        assertEquals(new InMemoryEventBusSettings(5, Duration.ofDays(7), true), settings.withDedupeCapacity(5));
        assertEquals(new InMemoryEventBusSettings(100_000, Duration.ofMinutes(3), true),
                settings.withDedupeWindow(Duration.ofMinutes(3)));
        InMemoryEventBusSettings unchecked = settings.withWireCheck(false);
        assertEquals(new InMemoryEventBusSettings(100_000, Duration.ofDays(7), false), unchecked);
        assertFalse(unchecked.withDedupeCapacity(5).wireCheck(), "a wither keeps the other settings");
        assertThrows(IllegalArgumentException.class, () -> settings.withDedupeCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> settings.withDedupeWindow(Duration.ZERO));
    }
}
