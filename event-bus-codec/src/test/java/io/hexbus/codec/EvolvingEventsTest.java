package io.hexbus.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.EventUpcaster;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Entries written by an older shape of an event, read by a newer one registered under the same name: each side
 * has its own registry and codec, as two deployments of one service would.
 */
class EvolvingEventsTest {

    private static final String PLACED = "shop.order-placed";
    private static final UUID ID = UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    private static final Instant OCCURRED = Instant.parse("2024-06-01T10:15:30.123456789Z");
    private static final EventMetadata METADATA = new EventMetadata("corr-1", null, "tenant-1", null);

    /** The event as first shipped. */
    public record PlacedV1(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId,
                           long amountCents, String note, String buyer) implements DomainEvent {
    }

    /** Components added since: one plain, one optional, one with a default of its own. */
    public record PlacedWithAdditions(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId,
                                      long amountCents, String note, String buyer, String channel,
                                      Optional<String> coupon, String currency) implements DomainEvent {
        public PlacedWithAdditions {
            currency = currency == null ? "EUR" : currency;
        }
    }

    /** The note and the buyer were removed. */
    public record PlacedWithoutNote(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId,
                                    long amountCents) implements DomainEvent {
    }

    /** A primitive added later: older entries have no value for it, and a primitive has no null. */
    public record PlacedWithQuantity(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId,
                                     long amountCents, int quantity) implements DomainEvent {
    }

    /** A component added later that the record requires. */
    public record PlacedWithCustomer(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId,
                                     String customerId) implements DomainEvent {
        public PlacedWithCustomer {
            Objects.requireNonNull(customerId, "customerId is required");
        }
    }

    /** As {@link PlacedWithCustomer}, refusing null without saying why. */
    public record PlacedWithSilentCustomer(UUID eventId, Instant occurredAt, EventMetadata metadata,
                                           String orderId, String customerId) implements DomainEvent {
        public PlacedWithSilentCustomer {
            Objects.requireNonNull(customerId);
        }
    }

    /** Version 3: buyer renamed to customer (v2), then customer split into first and last name (v3). */
    @EventName(value = PLACED, version = 3)
    public record PlacedV3(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId,
                           long amountCents, String firstName, String lastName) implements DomainEvent {
    }

    private final ObjectMapper json = JsonMapper.builder().build();
    private final EventCodec writer = EventCodec.of(new EventTypeRegistry().register(PLACED, PlacedV1.class));
    private final List<Set<String>> seenByUpcasters = new ArrayList<>();

    private static PlacedV1 v1() {
        return new PlacedV1(ID, OCCURRED, METADATA, "order-7", 1250, "leave at the door", "Ada Lovelace");
    }

    private String writtenByV1() {
        return writer.encode(v1(), OCCURRED).json();
    }

    private static EventCodec readerOf(Class<? extends DomainEvent> type) {
        return EventCodec.of(new EventTypeRegistry().register(PLACED, type));
    }

    private ObjectNode envelope(String document) throws Exception {
        return (ObjectNode) json.readTree(document);
    }

    private EventUpcaster renameBuyerToCustomer() {
        return payload -> {
            seenByUpcasters.add(Set.copyOf(payload.keySet()));
            payload.put("customer", payload.remove("buyer"));
            return payload;
        };
    }

    private EventUpcaster splitCustomer() {
        return payload -> {
            seenByUpcasters.add(Set.copyOf(payload.keySet()));
            String[] parts = ((String) payload.remove("customer")).split(" ", 2);
            payload.put("firstName", parts[0]);
            payload.put("lastName", parts[1]);
            return payload;
        };
    }

    private EventCodec v3Reader() {
        return EventCodec.of(new EventTypeRegistry().register(PlacedV3.class)
                .upcaster(PLACED, 1, renameBuyerToCustomer())
                .upcaster(PLACED, 2, splitCustomer()));
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual != null && actual.contains(expected), () -> "expected <" + expected + "> in <" + actual + ">");
    }

    // --- additive changes keep the version ---

    @Test
    void componentsAddedLaterReadAsNullEmptyOrTheRecordsDefault() {
        PlacedWithAdditions read = (PlacedWithAdditions) readerOf(PlacedWithAdditions.class).decode(writtenByV1());

        assertNull(read.channel());
        assertEquals(Optional.empty(), read.coupon());
        assertEquals("EUR", read.currency());
        assertEquals(new PlacedWithAdditions(ID, OCCURRED, METADATA, "order-7", 1250, "leave at the door",
                "Ada Lovelace", null, Optional.empty(), "EUR"), read);
    }

    @Test
    void aRemovedComponentIsIgnored() {
        PlacedWithoutNote read = (PlacedWithoutNote) readerOf(PlacedWithoutNote.class).decode(writtenByV1());

        assertEquals(new PlacedWithoutNote(ID, OCCURRED, METADATA, "order-7", 1250), read);
    }

    @Test
    void anAbsentPrimitiveIsRefusedNamingIt() {
        EventCodec reader = readerOf(PlacedWithQuantity.class);

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> reader.decode(writtenByV1()));

        assertContains("'" + PLACED + "'", e.getMessage());
        assertContains("quantity", e.getMessage());
    }

    @Test
    void aComponentTheConstructorRequiresMakesTheEntryMalformedNamingTheEventAndTheReason() {
        EventCodec reader = readerOf(PlacedWithCustomer.class);

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> reader.decode(writtenByV1()));

        assertContains("'" + PLACED + "'", e.getMessage());
        assertContains("customerId is required", e.getMessage());
    }

    @Test
    void aRefusalWithoutAMessageIsStillNamedByItsType() {
        EventCodec reader = readerOf(PlacedWithSilentCustomer.class);

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> reader.decode(writtenByV1()));

        assertContains("'" + PLACED + "'", e.getMessage());
        assertContains("NullPointerException", e.getMessage());
    }

    @Test
    void theSummaryALogShowsQuotesNoValueOfTheEntryTheDeadLettersMessageDoes() throws Exception {
        ObjectNode envelope = envelope(writtenByV1());
        ((ObjectNode) envelope.get("payload")).put("orderId", 4711); // a number where the record wants text

        MalformedEventException e = assertThrows(MalformedEventException.class,
                () -> readerOf(PlacedWithCustomer.class).decode(envelope.toString()));

        assertContains("4711", e.getMessage());
        assertFalse(e.summary().contains("4711"), e.summary());
        assertContains("'" + PLACED + "'", e.summary());
        assertContains("payload.orderId", e.summary());
    }

    // --- versions and upcasters ---

    @Test
    void theEnvelopeCarriesTheVersionTheTypeIsAnnotatedWith() throws Exception {
        PlacedV3 event = new PlacedV3(ID, OCCURRED, METADATA, "order-7", 1250, "Ada", "Lovelace");

        ObjectNode envelope = envelope(v3Reader().encode(event, OCCURRED).json());

        assertTrue(envelope.get("version").isInt(), envelope::toString);
        assertEquals(3, envelope.get("version").intValue());
        assertEquals(1, envelope(writtenByV1()).get("version").intValue());
    }

    @Test
    void aVersion1EntryIsUpcastToVersion3ThroughBothStepsInOrder() {
        PlacedV3 read = (PlacedV3) v3Reader().decode(writtenByV1());

        assertEquals(new PlacedV3(ID, OCCURRED, METADATA, "order-7", 1250, "Ada", "Lovelace"), read);
        assertEquals(List.of(Set.of("orderId", "amountCents", "note", "buyer"),
                Set.of("orderId", "amountCents", "note", "customer")), seenByUpcasters);
    }

    @Test
    void anEntryWithNoVersionFieldReadsAsVersion1() throws Exception {
        ObjectNode envelope = envelope(writtenByV1());
        envelope.remove("version");

        PlacedV3 read = (PlacedV3) v3Reader().decode(envelope.toString());

        assertEquals("Ada", read.firstName());
        assertEquals("Lovelace", read.lastName());
        assertEquals(2, seenByUpcasters.size());
    }

    @Test
    void aMissingUpcasterStepIsMalformedNamingTheStep() {
        EventCodec reader = EventCodec.of(new EventTypeRegistry().register(PlacedV3.class)
                .upcaster(PLACED, 1, renameBuyerToCustomer()));

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> reader.decode(writtenByV1()));

        assertEquals("event '" + PLACED + "' is at version 1 and this service reads version 3, but no upcaster"
                + " from version 2 is registered", e.getMessage());
    }

    @Test
    void aFailingUpcasterMakesTheEntryMalformedNamingItsStepAndError() {
        EventCodec reader = EventCodec.of(new EventTypeRegistry().register(PlacedV3.class)
                .upcaster(PLACED, 1, renameBuyerToCustomer())
                .upcaster(PLACED, 2, payload -> {
                    throw new IllegalStateException("no customer to split");
                }));

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> reader.decode(writtenByV1()));

        assertContains("the upcaster of '" + PLACED + "' from version 2 failed", e.getMessage());
        assertContains("no customer to split", e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void anUpcasterReturningNullMakesTheEntryMalformed() {
        EventCodec reader = EventCodec.of(new EventTypeRegistry().register(PlacedV3.class)
                .upcaster(PLACED, 1, payload -> null)
                .upcaster(PLACED, 2, splitCustomer()));

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> reader.decode(writtenByV1()));

        assertEquals("the upcaster of '" + PLACED + "' from version 1 returned null", e.getMessage());
        assertTrue(seenByUpcasters.isEmpty(), "the next step never runs");
    }

    @Test
    void anUpcasterCannotSmuggleAnEnvelopeField() {
        EventCodec reader = EventCodec.of(new EventTypeRegistry().register(PlacedV3.class)
                .upcaster(PLACED, 1, renameBuyerToCustomer())
                .upcaster(PLACED, 2, payload -> {
                    Map<String, Object> next = splitCustomer().upcast(payload);
                    next.put("eventId", UUID.randomUUID().toString());
                    return next;
                }));

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> reader.decode(writtenByV1()));

        assertContains("'eventId', which only the envelope may carry", e.getMessage());
    }

    @Test
    void anEntryAtANewerVersionWaitsForTheCodeThatReadsIt() {
        String writtenByV3 = v3Reader().encode(new PlacedV3(ID, OCCURRED, METADATA, "order-7", 1250, "Ada",
                "Lovelace"), OCCURRED).json();
        EventCodec v2Reader = EventCodec.of(new EventTypeRegistry().register(PLACED, 2, PlacedV1.class));

        NewerEventVersionException e = assertThrows(NewerEventVersionException.class,
                () -> v2Reader.decode(writtenByV3));

        assertEquals(3, e.entryVersion());
        assertEquals(2, e.readerVersion());
        assertEquals("event '" + PLACED + "' is at version 3, newer than the version 2 this service reads: it waits"
                + " for code that reads version 3", e.getMessage());
    }

    @Test
    void aVersionThatIsNotAWholeNumberOfAtLeastOneIsMalformed() throws Exception {
        EventCodec reader = readerOf(PlacedV1.class);
        for (String version : List.of("0", "-1", "\"1\"", "1.0", "1.5", "null", "true", "2147483648", "{}")) {
            ObjectNode envelope = envelope(writtenByV1());
            envelope.set("version", json.readTree(version));

            MalformedEventException e = assertThrows(MalformedEventException.class,
                    () -> reader.decode(envelope.toString()), version);

            assertEquals("envelope of '" + PLACED + "' has version " + version
                    + ", not a whole number of at least 1", e.getMessage());
        }
    }
}
