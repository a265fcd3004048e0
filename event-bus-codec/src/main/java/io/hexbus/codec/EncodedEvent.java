package io.hexbus.codec;

import java.util.UUID;

/**
 * An event ready for the wire. Immutable.
 *
 * @param eventId the event id
 * @param name    the event name
 * @param json    the envelope
 */
public record EncodedEvent(UUID eventId, String name, String json) {
}
