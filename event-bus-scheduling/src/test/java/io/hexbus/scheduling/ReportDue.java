package io.hexbus.scheduling;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.api.scheduling.Tick;

import java.time.Instant;
import java.util.UUID;

/** The recurring event of the scheduler's tests. */
@EventName(ReportDue.NAME)
record ReportDue(UUID eventId, Instant occurredAt, EventMetadata metadata, String schedule) implements DomainEvent {

    static final String NAME = "test.report-due";

    static ReportDue of(Tick tick) {
        return new ReportDue(tick.eventId(), tick.at(), EventMetadata.EMPTY, tick.schedule());
    }
}
