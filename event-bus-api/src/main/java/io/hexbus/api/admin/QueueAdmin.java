package io.hexbus.api.admin;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Statistics and dead-letter operations of one consumer group of a queued transport; the port that an
 * HTTP admin adapter wraps.
 *
 * <p>Thread-safe. Every method is one or a few round trips to the queue's store and blocks until it
 * answers; a store that cannot be reached or used fails with a
 * {@link io.hexbus.api.transport.TransportUnavailableException} naming it, one that does not answer within the
 * transport's command timeout with a {@link io.hexbus.api.transport.TransportTimeoutException} (the operation
 * may have taken effect). Any other exception is a bug.
 */
public interface QueueAdmin {

    /**
     * @return the counters of this consumer group, read now
     */
    QueueStats stats();

    /**
     * A page of dead letters, newest first.
     *
     * @param offset how many to skip, 0 or more
     * @param limit  how many to return, 1 to 1,000
     * @return the page
     */
    DeadLetterPage deadLetters(int offset, int limit);

    /**
     * @param eventId the id of a dead-lettered event
     * @return its dead letter, or empty if there is none
     */
    Optional<DeadLetter> deadLetter(UUID eventId);

    /**
     * Delivers a dead-lettered event again to the subscriptions that failed on it, and only to those.
     * Their attempts start from zero.
     *
     * @param eventId the id of a dead-lettered event
     * @return true if it was queued again, false if there is no such dead letter
     */
    boolean retry(UUID eventId);

    /**
     * Retries every dead letter this group holds when the call starts, each once. A dead letter written
     * while the call runs (for example one of these retries failing again) is left for the next call.
     *
     * @return how many were queued again
     */
    int retryAll();

    /**
     * Deletes a dead letter for good.
     *
     * @param eventId the id of a dead-lettered event
     * @return true if it was removed, false if there is no such dead letter
     */
    boolean remove(UUID eventId);

    /**
     * Deletes the dead letters whose last failure is older than {@code age}.
     *
     * @param age how old a dead letter must be to go; positive
     * @return how many were deleted
     * @throws IllegalArgumentException if {@code age} is null, zero or negative
     */
    int cleanDeadLetters(Duration age);

    /**
     * Checks the age of a {@link #cleanDeadLetters(Duration)} call as every implementation does.
     *
     * @param age how old a dead letter must be to go
     * @throws IllegalArgumentException if it is null, zero or negative, naming it
     */
    static void checkCleanAge(Duration age) {
        if (age == null || age.isNegative() || age.isZero()) {
            throw new IllegalArgumentException("age must be positive, got " + age);
        }
    }
}
