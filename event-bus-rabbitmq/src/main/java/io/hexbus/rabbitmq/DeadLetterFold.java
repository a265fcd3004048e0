package io.hexbus.rabbitmq;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterPage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The dead letters of a group: the records of its dead-letter stream ({@link DeadLetterLog}) applied in offset
 * order. The latest {@link DeadLetterLog.DeadLettered} of an event id is its dead letter; a
 * {@link DeadLetterLog.Removed} or {@link DeadLetterLog.Retried} deletes it if it is aimed at that very record; a
 * {@link DeadLetterLog.Cleaned} deletes those whose last failure is before its time. Listed as every transport's
 * admin lists them: newest first by last failure, then by the later record first.
 *
 * <p>A dead letter whose last failure is at or before {@code expiredAtOrBefore} is not listed: the stream's
 * {@code x-max-age} drops whole segments only, so a record past the retention may still be read, and the dead letter
 * is gone by then on every other transport.
 *
 * <p>Pure; not thread-safe: filled by one reader, then only read.
 */
final class DeadLetterFold {

    /**
     * A dead letter and where its record is.
     *
     * @param letter the dead letter
     * @param offset the stream offset of its {@link DeadLetterLog.DeadLettered} record
     */
    record Kept(DeadLetter letter, long offset) {

        /**
         * The retry id of this record: its offset and its last failure. Every admin reading this record derives
         * the same, so two retrying it at once send copies of one lineage ({@code <event id>/<retry id>}), which
         * the workers' ledger makes one; the failure time keeps it apart from a record at the same offset of a
         * stream deleted and declared again (offsets start at 0 again).
         *
         * @return {@code <offset>-<last failure in epoch ms>}
         */
        String retryId() {
            return offset + "-" + letter.lastFailedAt().toEpochMilli();
        }
    }

    private static final Comparator<Kept> OLDEST_FIRST = Comparator
            .comparingLong((Kept kept) -> kept.letter().lastFailedAt().toEpochMilli())
            .thenComparingLong(Kept::offset);

    private final long expiredAtOrBefore;
    private final Map<UUID, Kept> byId = new HashMap<>();
    private final TreeSet<Kept> byTime = new TreeSet<>(OLDEST_FIRST);
    private long undecodable;

    /**
     * @param expiredAtOrBefore epoch ms: dead letters whose last failure is at or before this are past the
     *                          retention and not listed; {@link Long#MIN_VALUE} to list all
     */
    DeadLetterFold(long expiredAtOrBefore) {
        this.expiredAtOrBefore = expiredAtOrBefore;
    }

    /**
     * Applies the next record, in offset order.
     *
     * @param offset its stream offset
     * @param entry  the record
     */
    void apply(long offset, DeadLetterLog.Entry entry) {
        Objects.requireNonNull(entry, "entry");
        if (entry instanceof DeadLetterLog.DeadLettered dead) {
            remove(dead.letter().eventId());
            if (dead.letter().lastFailedAt().toEpochMilli() > expiredAtOrBefore) {
                Kept kept = new Kept(dead.letter(), offset);
                byId.put(kept.letter().eventId(), kept);
                byTime.add(kept);
            }
        } else if (entry instanceof DeadLetterLog.Removed removed) {
            removeIfAt(removed.eventId(), removed.offset());
        } else if (entry instanceof DeadLetterLog.Retried retried) {
            removeIfAt(retried.eventId(), retried.offset());
        } else {
            long before = ((DeadLetterLog.Cleaned) entry).beforeMillis();
            while (!byTime.isEmpty() && byTime.first().letter().lastFailedAt().toEpochMilli() < before) {
                byId.remove(byTime.pollFirst().letter().eventId());
            }
        }
    }

    /** Counts a message of the stream that did not decode, and was skipped. */
    void skipUndecodable() {
        undecodable++;
    }

    /** @return how many messages read did not decode (and were skipped) */
    long undecodable() {
        return undecodable;
    }

    /** @return how many dead letters there are */
    int total() {
        return byId.size();
    }

    /**
     * @param eventId an event id
     * @return its dead letter, or empty
     */
    Optional<DeadLetter> get(UUID eventId) {
        return kept(eventId).map(Kept::letter);
    }

    /**
     * @param eventId an event id
     * @return its dead letter and where its record is, or empty
     */
    Optional<Kept> kept(UUID eventId) {
        return Optional.ofNullable(byId.get(Objects.requireNonNull(eventId, "eventId")));
    }

    /**
     * A page, newest first.
     *
     * @param offset how many to skip, 0 or more
     * @param limit  how many to return, 1 to {@link DeadLetterPage#MAX_LIMIT}
     * @return the page; its total counts every dead letter
     * @throws IllegalArgumentException as {@link DeadLetterPage#checkRequest} says
     */
    DeadLetterPage page(int offset, int limit) {
        DeadLetterPage.checkRequest(offset, limit);
        List<DeadLetter> items = new ArrayList<>(Math.min(limit, byTime.size()));
        Iterator<Kept> it = byTime.descendingIterator();
        for (int skipped = 0; skipped < offset && it.hasNext(); skipped++) {
            it.next();
        }
        while (items.size() < limit && it.hasNext()) {
            items.add(it.next().letter());
        }
        return new DeadLetterPage(items, offset, byId.size());
    }

    /** @return every dead letter, oldest first */
    List<Kept> oldestFirst() {
        return List.copyOf(byTime);
    }

    /**
     * @param beforeMillis epoch ms
     * @return the dead letters whose last failure is before it, oldest first: what a {@link DeadLetterLog.Cleaned}
     *         of that time written now deletes
     */
    List<Kept> failedBefore(long beforeMillis) {
        List<Kept> found = new ArrayList<>();
        for (Kept kept : byTime) {
            if (kept.letter().lastFailedAt().toEpochMilli() >= beforeMillis) {
                break;
            }
            found.add(kept);
        }
        return found;
    }

    private void removeIfAt(UUID eventId, long offset) {
        Kept kept = byId.get(eventId);
        if (kept != null && kept.offset() == offset) {
            remove(eventId);
        }
    }

    private void remove(UUID eventId) {
        Kept kept = byId.remove(eventId);
        if (kept != null) {
            byTime.remove(kept);
        }
    }
}
