package io.hexbus.rabbitmq;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterFilter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.transport.TransportUnavailableException;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The dead-letter half of {@link QueueAdmin} on RabbitMQ, over a group's dead-letter stream
 * ({@link DeadLetterStream}): same arguments, checks and answers as on every transport.
 *
 * <ul>
 *   <li>Every call first reads the whole stream ({@link DeadLetterStream#read()}), so it costs a read of every
 *       record kept (bounded by the retention). Past the stream's bound of dead letters kept whole, the oldest are
 *       left out of pages, lookups and retries ({@link #retryAll} leaves them for a later call, once newer ones
 *       went); the page's total counts them, and cleaning removes them.</li>
 *   <li>The filtered calls read the stream once too, and keep of it only what they return: a page's items and the
 *       matching count, the matching records to retry or remove. Those left out past the bound match no filter
 *       (their names and errors are not kept).</li>
 *   <li>A removal appends a {@link DeadLetterLog.Removed} aimed at the record read: if the event was dead-lettered
 *       again meanwhile, the newer dead letter stays (the call still answers true: it removed what it saw).</li>
 *   <li>{@link #retry} and {@link #retryAll} hand each dead letter to the {@link DeadLetterResend}, with a retry id
 *       derived from its record ({@link DeadLetterFold.Kept#retryId()}), and append a {@link DeadLetterLog.Retried}
 *       only once it returned: a resend that throws leaves the dead letter, and ends the call with its exception.
 *       Two admins retrying one dead letter at once both resend it, with one lineage: the ledger runs it once.
 *       A {@code Retried} that then fails to append leaves the dead letter although its event was sent back;
 *       retrying it again sends the same lineage, which the ledger drops within its dedupe window.</li>
 *   <li>{@link #cleanDeadLetters} appends one {@link DeadLetterLog.Cleaned} of now (the local clock) less the age;
 *       it counts the dead letters its read saw failed before that. A dead letter written between the read and the
 *       append that failed before that time goes too, uncounted.</li>
 * </ul>
 *
 * <p>Thread-safe; each call blocks until done. A broker that cannot be used fails a call with a
 * {@link TransportUnavailableException} naming the stream.
 */
final class RabbitDeadLetters {

    private final DeadLetterStream stream;
    private final DeadLetterResend resend;
    private final Clock clock;

    /**
     * @param stream reads and appends the dead-letter records
     * @param resend sends a retried dead letter back
     * @param clock  tells a dead letter's age for {@link #cleanDeadLetters}
     */
    RabbitDeadLetters(DeadLetterStream stream, DeadLetterResend resend, Clock clock) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.resend = Objects.requireNonNull(resend, "resend");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * As {@link QueueAdmin#deadLetter(UUID)}.
     *
     * @param eventId the id of a dead-lettered event
     * @return its dead letter, or empty if there is none
     */
    Optional<DeadLetter> deadLetter(UUID eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return stream.read().get(eventId);
    }

    /**
     * As {@link QueueAdmin#deadLetters(int, int)}.
     *
     * @param offset how many to skip, 0 or more
     * @param limit  how many to return, 1 to 1,000
     * @return the page, newest first
     * @throws IllegalArgumentException as {@link DeadLetterPage#checkRequest} says
     */
    DeadLetterPage deadLetters(int offset, int limit) {
        DeadLetterPage.checkRequest(offset, limit);
        return stream.read().page(offset, limit);
    }

    /**
     * As {@link QueueAdmin#deadLetters(DeadLetterFilter, int, int)}, with one read of the stream.
     *
     * @param filter which dead letters
     * @param offset how many matching ones to skip, 0 or more
     * @param limit  how many to return, 1 to 1,000
     * @return the page, newest first; its total counts the matching ones
     * @throws IllegalArgumentException as {@link DeadLetterPage#checkRequest} says
     */
    DeadLetterPage deadLetters(DeadLetterFilter filter, int offset, int limit) {
        Objects.requireNonNull(filter, "filter");
        DeadLetterPage.checkRequest(offset, limit);
        DeadLetterFold fold = stream.read();
        return filter.matchesAll() ? fold.page(offset, limit) : fold.page(filter, offset, limit);
    }

    /**
     * As {@link QueueAdmin#retry(UUID)}: resends the dead letter, then records it retried.
     *
     * @param eventId the id of a dead-lettered event
     * @return true if it was queued again, false if there is no such dead letter, or it names no subscription (a
     *         message that could not be read: there is nothing to run again)
     */
    boolean retry(UUID eventId) {
        Objects.requireNonNull(eventId, "eventId");
        Optional<DeadLetterFold.Kept> kept = stream.read().kept(eventId)
                .filter(k -> !k.letter().failedSubscriptions().isEmpty());
        kept.ifPresent(this::retry);
        return kept.isPresent();
    }

    /**
     * As {@link QueueAdmin#retryAll()}: each dead letter of the stream's end at the call, oldest first, once.
     *
     * @return how many were queued again (those naming no subscription stay)
     */
    int retryAll() {
        return retryAll(DeadLetterFilter.ANY);
    }

    /**
     * As {@link QueueAdmin#retryAll(DeadLetterFilter)}: each matching dead letter of the stream's end at the call,
     * oldest first, once, with one read of the stream.
     *
     * @param filter which dead letters
     * @return how many were queued again (those naming no subscription stay)
     */
    int retryAll(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        List<DeadLetterFold.Kept> all = stream.read().oldestFirst(filter).stream()
                .filter(k -> !k.letter().failedSubscriptions().isEmpty()).toList();
        for (DeadLetterFold.Kept kept : all) {
            retry(kept);
        }
        return all.size();
    }

    /**
     * As {@link QueueAdmin#remove(UUID)}.
     *
     * @param eventId the id of a dead-lettered event
     * @return true if it was there (and is removed), false if there is no such dead letter
     */
    boolean remove(UUID eventId) {
        Objects.requireNonNull(eventId, "eventId");
        Optional<DeadLetterFold.Kept> kept = stream.read().kept(eventId);
        kept.ifPresent(k -> stream.append(new DeadLetterLog.Removed(eventId, k.offset())));
        return kept.isPresent();
    }

    /**
     * As {@link QueueAdmin#removeAll(DeadLetterFilter)}, with one read of the stream: a {@link DeadLetterLog.Removed}
     * for each matching record, kept by its id and offset only.
     *
     * @param filter which dead letters
     * @return how many were removed
     */
    int removeAll(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        List<DeadLetterLog.Removed> removals = stream.read().oldestFirst(filter).stream()
                .map(k -> new DeadLetterLog.Removed(k.letter().eventId(), k.offset())).toList();
        removals.forEach(stream::append);
        return removals.size();
    }

    /**
     * As {@link QueueAdmin#cleanDeadLetters(Duration)}.
     *
     * @param age how old a dead letter must be to go; positive
     * @return how many were removed
     * @throws IllegalArgumentException as {@link QueueAdmin#checkCleanAge} says
     */
    int cleanDeadLetters(Duration age) {
        QueueAdmin.checkCleanAge(age);
        long now = clock.millis();
        long before = age.compareTo(Duration.ofMillis(now)) >= 0 ? Long.MIN_VALUE : now - age.toMillis();
        int cleaned = stream.read().countFailedBefore(before);
        if (cleaned > 0) {
            stream.append(new DeadLetterLog.Cleaned(before));
        }
        return cleaned;
    }

    private void retry(DeadLetterFold.Kept kept) {
        DeadLetter letter = kept.letter();
        resend.resend(letter, letter.failedSubscriptions(), kept.retryId());
        stream.append(new DeadLetterLog.Retried(letter.eventId(), kept.offset()));
    }
}
