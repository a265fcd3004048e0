package io.hexbus.redis;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;

import java.time.Instant;
import java.util.UUID;

/** A second event of the transport's own tests, for routing to another named queue than {@link OrderPlaced}. */
@EventName(ReportRequested.NAME)
record ReportRequested(UUID eventId, Instant occurredAt, EventMetadata metadata, int number) implements DomainEvent {

    static final String NAME = "test.report-requested";

    static ReportRequested of(int number) {
        return new ReportRequested(EventIds.newId(), Instant.now(), EventMetadata.EMPTY, number);
    }
}
