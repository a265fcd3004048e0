package io.hexbus.redis.codec;

import java.util.UUID;

/**
 * The id and name of an envelope, read without its payload. Immutable.
 *
 * @param eventId the event id
 * @param name    the event name
 */
public record EnvelopeHeader(UUID eventId, String name) {
}
