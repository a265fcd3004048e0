package io.hexbus.engine.backend;

import io.hexbus.engine.Progress;

import java.util.Objects;
import java.util.Set;

/**
 * One message a backend handed to a worker, leased to that worker until it is settled, released, or its lease
 * lapses. The fields the message is routed by are as the broker holds them, unchecked: the engine checks them
 * and dead-letters what it cannot read, so a backend never refuses a message for its content.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id                the backend's identity of this message, unique within its queue; what the engine hands
 *                          back to renew, acknowledge, reschedule or dead-letter it, and what its logs name
 * @param eventName         the event name it is routed by, or null when the message has none
 * @param eventId           the event id it is routed by, as written, or null when the message has none
 * @param envelope          the envelope, as written, or null when the message has none
 * @param onlySubscriptions the subscriptions it is for, when a dead-letter retry named some; empty: every
 *                          subscription of its name in this application
 * @param progress          what earlier rounds recorded for it, with this delivery's takeover counted when it is
 *                          one; {@link Progress#NONE} on a first delivery
 * @param brokerNow         the broker's clock when it was handed over, in milliseconds since the epoch, or -1 when
 *                          the backend does not know it (a first delivery may omit it); due times are compared
 *                          with it, never with a worker's clock
 * @param publishedAtMillis when it was published (a dead-letter retry: sent back), in milliseconds since the epoch,
 *                          on the broker's clock where it has one; bounds how long an event of a newer version waits for code that reads it
 * @param lease             which lease of the message this delivery is, for the backend's fencing: a worker may
 *                          hold the same message again later (its retry, claimed by the same worker), and a write of
 *                          the earlier delivery (written again after its answer was lost) must then be refused. A
 *                          generation, a delivery tag, a count of deliveries: whatever the broker gives; the engine
 *                          only hands it back
 */
public record Delivery(String id, String eventName, String eventId, String envelope, Set<String> onlySubscriptions,
                       Progress progress, long brokerNow, long publishedAtMillis, long lease) {

    /**
     * Copies {@code onlySubscriptions}.
     *
     * @param id                the backend's identity of this message
     * @param eventName         the event name it is routed by, or null
     * @param eventId           the event id it is routed by, or null
     * @param envelope          the envelope, or null
     * @param onlySubscriptions the subscriptions it is for; empty: every one of its name
     * @param progress          what earlier rounds recorded for it
     * @param brokerNow         the broker's clock when it was handed over, or -1
     * @param publishedAtMillis when it was published
     * @param lease             which lease of the message this delivery is
     * @throws NullPointerException if {@code id}, {@code onlySubscriptions} or {@code progress} is null
     */
    public Delivery {
        Objects.requireNonNull(id, "id");
        onlySubscriptions = Set.copyOf(onlySubscriptions);
        Objects.requireNonNull(progress, "progress");
    }

    /**
     * @return whether earlier rounds recorded anything for it (attempts, done or dead subscriptions, a takeover),
     *         which a backend may have to delete once it is acknowledged
     */
    public boolean hasProgress() {
        return !progress.equals(Progress.NONE);
    }
}
