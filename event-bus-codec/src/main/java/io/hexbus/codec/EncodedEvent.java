package io.hexbus.codec;

import java.util.UUID;

/**
 * An event ready for the wire. Immutable.
 *
 * @param eventId     the event id
 * @param name        the event name
 * @param orderingKey the event's {@link io.hexbus.api.event.DomainEvent#orderingKey()}, checked; not in the
 *                    envelope, for a transport that orders by key (a Kafka record key)
 * @param json        the envelope
 */
public record EncodedEvent(UUID eventId, String name, String orderingKey, String json) {
}
