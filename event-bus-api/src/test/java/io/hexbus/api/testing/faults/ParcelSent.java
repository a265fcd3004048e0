package io.hexbus.api.testing.faults;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;

import java.time.Instant;
import java.util.UUID;

/**
 * The event the fault tests publish.
 *
 * @param eventId    the id
 * @param occurredAt when
 * @param metadata   none
 * @param number     the publisher's sequence number, for the logs
 */
@EventName(ParcelSent.NAME)
public record ParcelSent(UUID eventId, Instant occurredAt, EventMetadata metadata, int number) implements DomainEvent {

    /** Its event name. */
    public static final String NAME = "faults.parcel-sent";

    /**
     * @param number the sequence number
     * @return a new event with a fresh id
     */
    public static ParcelSent numbered(int number) {
        return new ParcelSent(EventIds.newId(), Instant.now(), EventMetadata.EMPTY, number);
    }
}
