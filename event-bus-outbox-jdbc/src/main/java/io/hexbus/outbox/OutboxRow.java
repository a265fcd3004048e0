package io.hexbus.outbox;

import java.util.UUID;

/**
 * A waiting row of the outbox as a relay's pass locked it.
 *
 * @param seq         its place in the outbox; per key, commit order
 * @param eventId     the event id, the transport's idempotency key
 * @param orderingKey the event's ordering key
 * @param envelope    the codec's JSON envelope
 */
record OutboxRow(long seq, UUID eventId, String orderingKey, String envelope) {
}
