package io.hexbus.api.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
     * What each subscription of this group did: counters since the group was created and handler durations over a
     * recent window, as the group's workers reported them (a second or so late).
     *
     * @return one entry per subscription that any worker of the group reported, sorted by name
     */
    List<SubscriptionStats> subscriptionStats();

    /**
     * Where an event stands for each subscription of this group: done, waiting, waiting for a retry (and until
     * when), or dead.
     *
     * @param eventId an event id
     * @return its progress, or empty when this group holds no record of it (never published, or its record is past
     *         the transport's retention, as each transport's documentation says)
     */
    Optional<EventProgress> eventProgress(UUID eventId);

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
     * A page of the dead letters that match a filter, newest first. The default reads the whole dead-letter queue a
     * page of {@value DeadLetterPage#MAX_LIMIT} at a time and filters here (a transport may do better); with
     * {@link DeadLetterFilter#ANY} it is {@link #deadLetters(int, int)}.
     *
     * @param filter which dead letters
     * @param offset how many matching ones to skip, 0 or more
     * @param limit  how many to return, 1 to 1,000
     * @return the page; its total counts the matching ones
     * @throws IllegalArgumentException naming the argument out of bounds
     */
    default DeadLetterPage deadLetters(DeadLetterFilter filter, int offset, int limit) {
        DeadLetterPage.checkRequest(offset, limit);
        if (filter.matchesAll()) {
            return deadLetters(offset, limit);
        }
        List<DeadLetter> matching = matching(filter);
        int from = Math.min(offset, matching.size());
        return new DeadLetterPage(matching.subList(from, Math.min(matching.size(), from + limit)), offset,
                matching.size());
    }

    /**
     * Retries each dead letter that matches a filter when the call starts, as {@link #retry(UUID)} does.
     *
     * @param filter which dead letters; {@link DeadLetterFilter#ANY} is {@link #retryAll()}
     * @return how many were queued again
     */
    default int retryAll(DeadLetterFilter filter) {
        if (filter.matchesAll()) {
            return retryAll();
        }
        int retried = 0;
        for (DeadLetter deadLetter : matching(filter)) {
            retried += retry(deadLetter.eventId()) ? 1 : 0;
        }
        return retried;
    }

    /**
     * Deletes for good each dead letter that matches a filter when the call starts.
     *
     * @param filter which dead letters
     * @return how many were deleted
     */
    default int removeAll(DeadLetterFilter filter) {
        int removed = 0;
        for (DeadLetter deadLetter : matching(filter)) {
            removed += remove(deadLetter.eventId()) ? 1 : 0;
        }
        return removed;
    }

    /**
     * Reads every dead letter, a page at a time, keeping those that match. Dead letters written or removed while it
     * reads shift the pages: one may be read twice (kept once) or missed.
     *
     * @param filter which dead letters
     * @return the matching dead letters, newest first
     */
    private List<DeadLetter> matching(DeadLetterFilter filter) {
        Map<UUID, DeadLetter> found = new LinkedHashMap<>();
        for (int offset = 0; ; offset += DeadLetterPage.MAX_LIMIT) {
            DeadLetterPage page = deadLetters(offset, DeadLetterPage.MAX_LIMIT);
            for (DeadLetter deadLetter : page.items()) {
                if (filter.matches(deadLetter)) {
                    found.putIfAbsent(deadLetter.eventId(), deadLetter);
                }
            }
            if (page.items().size() < DeadLetterPage.MAX_LIMIT) {
                return new ArrayList<>(found.values());
            }
        }
    }

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
