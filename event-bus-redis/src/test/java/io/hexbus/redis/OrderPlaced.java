package io.hexbus.redis;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The event of the transport's own tests. */
@EventName(OrderPlaced.NAME)
record OrderPlaced(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId) implements DomainEvent {

    static final String NAME = "test.order-placed";

    /** An order id is required: an entry without one is malformed (a component absent otherwise reads as null). */
    OrderPlaced {
        Objects.requireNonNull(orderId, "orderId");
    }

    static OrderPlaced of(String orderId) {
        return new OrderPlaced(EventIds.newId(), Instant.now(), EventMetadata.EMPTY, orderId);
    }
}
