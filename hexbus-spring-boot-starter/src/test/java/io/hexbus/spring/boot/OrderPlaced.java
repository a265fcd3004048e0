package io.hexbus.spring.boot;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;

import java.time.Instant;
import java.util.UUID;

/** The event of these tests. */
@EventName("starter-test.order-placed")
record OrderPlaced(UUID eventId, Instant occurredAt, String orderId) implements DomainEvent {

    static OrderPlaced of(String orderId) {
        return new OrderPlaced(EventIds.newId(), Instant.now(), orderId);
    }
}
