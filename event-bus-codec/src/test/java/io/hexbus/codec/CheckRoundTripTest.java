package io.hexbus.codec;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.UnknownEventTypeException;
import io.hexbus.api.publishing.EventNotEncodableException;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.UnpublishableEventException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the in-memory bus runs at publish: an event is refused unless it would travel a queue unchanged. */
class CheckRoundTripTest {

    private static final UUID ID = UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    private static final Instant OCCURRED = Instant.parse("2024-06-01T10:15:30.123456789Z");

    /** Nobody registered it. */
    public record Unnamed(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    /** Free text, for the size limit. */
    @EventName("test.noted")
    public record Noted(UUID eventId, Instant occurredAt, EventMetadata metadata, String text) implements DomainEvent {
    }

    /** A class without a single property. */
    public static final class Opaque {
    }

    /** An event holding an {@link Opaque}. */
    @EventName("test.opaque")
    public record WithOpaque(UUID eventId, Instant occurredAt, EventMetadata metadata, Opaque value)
            implements DomainEvent {
    }

    /** An event holding anything. */
    @EventName("test.anything")
    public record WithAnything(UUID eventId, Instant occurredAt, EventMetadata metadata, Object value)
            implements DomainEvent {
    }

    /** A nested value with a zoned time. */
    public record Meeting(String room, ZonedDateTime startsAt) {
    }

    /** An event holding a {@link Meeting}. */
    @EventName("test.scheduled")
    public record Scheduled(UUID eventId, Instant occurredAt, EventMetadata metadata, Meeting meeting)
            implements DomainEvent {
    }

    /** A nested value with array components, which records compare by identity. */
    public record Attachment(String name, byte[] content, int[] pages) {
    }

    /** An event with array components of its own and in a list of records. */
    @EventName("test.attached")
    public record Attached(UUID eventId, Instant occurredAt, EventMetadata metadata, byte[] checksum, int[] sizes,
                           List<Attachment> attachments) implements DomainEvent {
    }

    private final EventCodec codec = EventCodec.of(new EventTypeRegistry());

    private static void assertContains(String expected, String actual) {
        assertTrue(actual != null && actual.contains(expected), () -> "expected <" + expected + "> in <" + actual + ">");
    }

    private static Scheduled meetingAt(ZonedDateTime startsAt) {
        return new Scheduled(ID, OCCURRED, EventMetadata.EMPTY, new Meeting("Ada", startsAt));
    }

    @Test
    void anUnregisteredTypeIsRefused() {
        UnknownEventTypeException e = assertThrows(UnknownEventTypeException.class,
                () -> codec.checkRoundTrip(new Unnamed(ID, OCCURRED)));

        assertContains(Unnamed.class.getName(), e.getMessage());
    }

    @Test
    void anEventOverTheLimitIsRefused() {
        EventCodec small = EventCodec.builder(new EventTypeRegistry()).maxBytes(1024).build();
        Noted event = new Noted(ID, OCCURRED, EventMetadata.EMPTY, "x".repeat(2000));

        EventTooLargeException e = assertThrows(EventTooLargeException.class, () -> small.checkRoundTrip(event));

        assertContains("event test.noted " + ID, e.getMessage());
        assertContains("over the limit of 1024 bytes", e.getMessage());
        assertDoesNotThrow(() -> small.checkRoundTrip(new Noted(ID, OCCURRED, EventMetadata.EMPTY, "short")));
    }

    @Test
    void aComponentWithNoPropertiesIsNotEncodableNamingTheEvent() {
        WithOpaque event = new WithOpaque(ID, OCCURRED, EventMetadata.EMPTY, new Opaque());

        EventNotEncodableException e = assertThrows(EventNotEncodableException.class,
                () -> codec.checkRoundTrip(event));

        assertContains("event test.opaque (" + WithOpaque.class.getName() + ") cannot be written as JSON",
                e.getMessage());
        assertContains(Opaque.class.getName(), e.getMessage());
        assertInstanceOf(UnpublishableEventException.class, e);
    }

    @Test
    void aLambdaIsNotEncodableNamingTheEvent() {
        Runnable lambda = () -> {
        };
        WithAnything event = new WithAnything(ID, OCCURRED, EventMetadata.EMPTY, lambda);

        EventNotEncodableException e = assertThrows(EventNotEncodableException.class,
                () -> codec.checkRoundTrip(event));

        // Jackson writes a lambda as {} rather than failing: it is the read back, a map, that gives it away.
        assertContains("event test.anything (" + WithAnything.class.getName() + ") reads back different",
                e.getMessage());
        assertContains(" at value:", e.getMessage());
    }

    @Test
    void aRegionZoneThatReadsBackAsAnOffsetIsRefusedNamingTheComponent() {
        Scheduled event = meetingAt(ZonedDateTime.of(2024, 6, 1, 10, 0, 0, 0, ZoneId.of("Europe/Paris")));

        EventNotEncodableException e = assertThrows(EventNotEncodableException.class,
                () -> codec.checkRoundTrip(event));

        assertContains("event test.scheduled (" + Scheduled.class.getName() + ") reads back different",
                e.getMessage());
        assertContains(" at meeting.startsAt:", e.getMessage());
    }

    @Test
    void anOffsetZoneRoundTrips() {
        assertDoesNotThrow(() -> codec.checkRoundTrip(meetingAt(
                ZonedDateTime.of(2024, 6, 1, 10, 0, 0, 0, ZoneOffset.ofHours(2)))));
        assertDoesNotThrow(() -> codec.checkRoundTrip(meetingAt(
                ZonedDateTime.of(2024, 6, 1, 10, 0, 0, 0, ZoneOffset.UTC))));
    }

    @Test
    void arrayComponentsAreComparedByContent() {
        Attached event = new Attached(ID, OCCURRED, EventMetadata.EMPTY, new byte[] {1, 2, (byte) 0xff},
                new int[] {10, 20}, List.of(new Attachment("a.txt", new byte[] {7}, new int[] {1}),
                new Attachment("b.txt", new byte[0], new int[] {2, 3})));
        assertNotEquals(event, codec.decode(codec.encode(event, OCCURRED).json()),
                "test setup: a record's equals compares its arrays by identity");

        assertDoesNotThrow(() -> codec.checkRoundTrip(event));
    }
}
