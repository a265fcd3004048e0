package io.hexbus.spring.boot;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventName;
import io.hexbus.api.scheduling.Tick;

import java.time.Instant;
import java.util.UUID;

/** The recurring event of the scheduling tests: one per tick, with the tick's id. */
@EventName("starter-test.heartbeat")
record Heartbeat(UUID eventId, Instant occurredAt) implements DomainEvent {

    static Heartbeat of(Tick tick) {
        return new Heartbeat(tick.eventId(), tick.at());
    }
}
