package io.hexbus.outbox.faults;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;

import java.time.Instant;
import java.util.UUID;

/**
 * The event the outbox fault tests commit: numbered within its ordering key, in the order its key's units committed
 * (each key is committed by one thread), so a handler can tell the order it saw.
 *
 * @param eventId    the id
 * @param occurredAt when
 * @param key        its ordering key
 * @param number     its place among its key's events, from 1
 */
@EventName(ShipmentDue.NAME)
public record ShipmentDue(UUID eventId, Instant occurredAt, String key, long number) implements DomainEvent {

    /** Its event name. */
    public static final String NAME = "outbox-faults.shipment-due";

    /**
     * @param key    the ordering key
     * @param number its place in the key
     * @return a new event with a fresh id
     */
    public static ShipmentDue of(String key, long number) {
        return new ShipmentDue(EventIds.newId(), Instant.now(), key, number);
    }

    @Override
    public String orderingKey() {
        return key;
    }
}
