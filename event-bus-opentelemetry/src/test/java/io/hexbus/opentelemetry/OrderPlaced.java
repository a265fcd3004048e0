package io.hexbus.opentelemetry;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;

import java.time.Instant;
import java.util.UUID;

/** The event these tests publish. */
@EventName(OrderPlaced.NAME)
public record OrderPlaced(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId)
        implements DomainEvent {

    static final String NAME = "tests.order-placed";

    static OrderPlaced of(String orderId) {
        return new OrderPlaced(EventIds.newId(), Instant.now(), EventMetadata.EMPTY, orderId);
    }
}
