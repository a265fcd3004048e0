package io.hexbus.engine.backend;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a backend keeps of a dead-lettered message, for {@link io.hexbus.api.admin.QueueAdmin} to list and retry.
 * Immutable.
 *
 * @param eventId        the id it is kept under: the routed id, or, for a message without a usable one, an id
 *                       derived from the delivery's, stably
 * @param eventName      the name it was routed by, or {@code "?"} when it had none
 * @param subscriptions  the subscriptions that gave up, which a retry runs again; empty when none could be named
 *                       (a message that cannot be read names every subscription of its name here)
 * @param attempts       the failed attempts of the subscription that tried most
 * @param error          the last error: its class, message and stack text, or the reason the message cannot be read
 * @param envelope       the envelope to keep, cut to the codec's size limit when larger
 * @param failedAttempts how many failed attempts this round adds to the statistics
 */
public record DeadLetterRecord(UUID eventId, String eventName, List<String> subscriptions, int attempts,
                               String error, String envelope, int failedAttempts) {

    /**
     * Copies {@code subscriptions}.
     *
     * @param eventId        the id it is kept under
     * @param eventName      the name it was routed by, or {@code "?"}
     * @param subscriptions  the subscriptions that gave up
     * @param attempts       the failed attempts of the subscription that tried most
     * @param error          the last error
     * @param envelope       the envelope to keep
     * @param failedAttempts how many failed attempts this round adds to the statistics
     * @throws NullPointerException if an argument is null
     */
    public DeadLetterRecord {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventName, "eventName");
        subscriptions = List.copyOf(subscriptions);
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(envelope, "envelope");
    }
}
