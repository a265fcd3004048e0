package io.hexbus.outbox;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;

import java.time.Instant;
import java.util.UUID;

/**
 * The relay tests' event: numbered within its key, so a handler can tell the order it saw.
 *
 * @param eventId    the id
 * @param occurredAt when
 * @param key        its ordering key
 * @param number     its place among the events of its key
 */
@EventName(Tick.NAME)
record Tick(UUID eventId, Instant occurredAt, String key, int number) implements DomainEvent {

    static final String NAME = "outbox-test.tick";

    static Tick of(String key, int number) {
        return new Tick(EventIds.newId(), Instant.now(), key, number);
    }

    @Override
    public String orderingKey() {
        return key;
    }
}
