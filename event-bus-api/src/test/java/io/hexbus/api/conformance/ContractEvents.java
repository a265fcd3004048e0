package io.hexbus.api.conformance;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The events the conformance suite publishes. Their payloads use the value types a real event carries
 * (nested records, lists, maps, decimals, instants, Optionals, nulls) so that a serializing transport
 * proves its round trip.
 */
public final class ContractEvents {

    private ContractEvents() {
    }

    /** A nested value. */
    public record Address(String street, String city, String countryCode) {
    }

    /** The name of {@link ParcelShipped}. */
    public static final String NAME_SHIPPED = "contract.parcel-shipped";

    /** The main contract event. */
    @EventName(NAME_SHIPPED)
    public record ParcelShipped(UUID eventId, Instant occurredAt, EventMetadata metadata, String parcelId,
                                int sequence, BigDecimal weightKg, Address destination, List<String> items,
                                Map<String, String> labels, String note) implements DomainEvent {
    }

    /** A second event name, for routing. */
    @EventName("contract.parcel-delivered")
    public record ParcelDelivered(UUID eventId, Instant occurredAt, EventMetadata metadata, String parcelId)
            implements DomainEvent {
    }

    /**
     * An event ordered by its parcel: the events of one parcel share an ordering key.
     *
     * @param eventId    the event id
     * @param occurredAt when it happened
     * @param metadata   its metadata
     * @param parcelId   the parcel, its ordering key (publishing with a null, blank or too long one is refused)
     * @param sequence   a number that tells a parcel's events apart in assertions
     */
    @EventName("contract.parcel-scanned")
    public record ParcelScanned(UUID eventId, Instant occurredAt, EventMetadata metadata, String parcelId,
                                int sequence) implements DomainEvent {

        @Override
        public String orderingKey() {
            return parcelId;
        }
    }

    /** Not annotated and never registered: publishing it must be refused. */
    public record UnregisteredEvent(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    /** A line of a manifest: a record inside a list. */
    public record ManifestLine(String sku, int quantity, BigDecimal unitPrice) {
    }

    /**
     * The values whose JSON form could lose something on the way: an Optional present and one empty, a decimal
     * whose scale is part of its value, an instant to the nanosecond, a nested record and a list of records.
     */
    @EventName("contract.parcel-manifested")
    public record ParcelManifested(UUID eventId, Instant occurredAt, EventMetadata metadata, String parcelId,
                                   Optional<String> customsCode, Optional<String> giftMessage,
                                   BigDecimal declaredValue, Instant scannedAt, Address origin,
                                   List<ManifestLine> lines) implements DomainEvent {
    }

    /** A value with no JSON form: no public field or getter, so a codec has nothing to write. */
    public static final class Seal {
        private final String serial;

        /**
         * @param serial the seal's serial number
         */
        public Seal(String serial) {
            this.serial = serial;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Seal seal && seal.serial.equals(serial);
        }

        @Override
        public int hashCode() {
            return serial.hashCode();
        }
    }

    /** Registered, but one of its components cannot be written: publishing it must be refused. */
    @EventName("contract.parcel-sealed")
    public record ParcelSealed(UUID eventId, Instant occurredAt, EventMetadata metadata, String parcelId, Seal seal)
            implements DomainEvent {
    }

    /**
     * @param sequence a number that tells events apart in assertions
     * @return a new event with a fresh id
     */
    public static ParcelShipped shipped(int sequence) {
        return new ParcelShipped(EventIds.newId(), now(), EventMetadata.EMPTY, "parcel-" + sequence, sequence,
                new BigDecimal("1.250"), new Address("1 Quay St", "Lyon", "FR"), List.of("book", "pen"),
                Map.of("fragile", "no"), null);
    }

    /**
     * @param sequence a number that tells events apart in assertions
     * @param note     the free-text note, of any length
     * @return a new event with a fresh id and that note
     */
    public static ParcelShipped shippedWithNote(int sequence, String note) {
        ParcelShipped event = shipped(sequence);
        return new ParcelShipped(event.eventId(), event.occurredAt(), event.metadata(), event.parcelId(),
                event.sequence(), event.weightKg(), event.destination(), event.items(), event.labels(), note);
    }

    /**
     * @param parcelId the parcel, the event's ordering key
     * @param sequence a number that tells the parcel's events apart in assertions
     * @return a new event with a fresh id
     */
    public static ParcelScanned scanned(String parcelId, int sequence) {
        return new ParcelScanned(EventIds.newId(), now(), EventMetadata.EMPTY, parcelId, sequence);
    }

    /**
     * @param parcelId the parcel
     * @return a new event with a fresh id
     */
    public static ParcelDelivered delivered(String parcelId) {
        return new ParcelDelivered(EventIds.newId(), now(), EventMetadata.EMPTY, parcelId);
    }

    // Millisecond precision: what every wire format keeps.
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
