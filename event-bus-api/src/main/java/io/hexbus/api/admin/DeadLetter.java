package io.hexbus.api.admin;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An event that one or more subscriptions gave up on, with why. Immutable.
 *
 * @param eventId             the event id
 * @param eventName           the event name, or {@code "?"} when the entry was too malformed to tell
 * @param failedSubscriptions the subscriptions that failed for good; a retry runs these only
 * @param attempts            the attempts made by the subscription that tried most
 * @param lastError           the last error: class, message and a trimmed stack trace
 * @param firstFailedAt       when the first attempt failed
 * @param lastFailedAt        when it was dead-lettered
 * @param envelope            the event as it travelled (JSON), payload included
 */
public record DeadLetter(UUID eventId, String eventName, List<String> failedSubscriptions, int attempts,
                         String lastError, Instant firstFailedAt, Instant lastFailedAt, String envelope) {

    /**
     * Copies the list.
     *
     * @param eventId             the event id
     * @param eventName           the event name
     * @param failedSubscriptions the subscriptions that failed for good
     * @param attempts            the attempts made
     * @param lastError           the last error
     * @param firstFailedAt       when the first attempt failed
     * @param lastFailedAt        when it was dead-lettered
     * @param envelope            the event as it travelled
     */
    public DeadLetter {
        failedSubscriptions = List.copyOf(failedSubscriptions);
    }
}
