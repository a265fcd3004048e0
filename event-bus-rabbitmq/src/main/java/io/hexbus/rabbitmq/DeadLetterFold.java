package io.hexbus.rabbitmq;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterFilter;
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
 * <p>Bounded: at most {@code max} dead letters are kept whole. Beyond, the oldest (by last failure) are left out of
 * pages, lookups and retries, as on Kafka; only their ids, offsets and failure times are kept (some 80 bytes each,
 * against an envelope), so that {@link #total()} stays exact, and removals and cleaning still reach them.
 *
 * <p>A fold without envelopes ({@link #DeadLetterFold(long, int, boolean)}) keeps each dead letter with an empty
 * envelope: for a reader that keeps its fold between reads and never lists the letters whole.
 *
 * <p>Pure; not thread-safe: filled by one reader, and read under that reader's lock.
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

    /** What is left of a dead letter past the bound: where its record is, and its last failure. */
    private record LeftOut(UUID eventId, long offset, long lastFailedAt) {
    }

    private static final Comparator<LeftOut> LEFT_OUT_OLDEST_FIRST = Comparator
            .comparingLong(LeftOut::lastFailedAt).thenComparingLong(LeftOut::offset);

    private static final Comparator<Kept> OLDEST_FIRST = Comparator
            .comparingLong((Kept kept) -> kept.letter().lastFailedAt().toEpochMilli())
            .thenComparingLong(Kept::offset);

    private long expiredAtOrBefore;
    private final int max;
    private final boolean envelopes;
    private final Map<UUID, Kept> byId = new HashMap<>();
    private final TreeSet<Kept> byTime = new TreeSet<>(OLDEST_FIRST);
    private final Map<UUID, LeftOut> leftOut = new HashMap<>();
    private final TreeSet<LeftOut> leftOutByTime = new TreeSet<>(LEFT_OUT_OLDEST_FIRST);
    private long undecodable;

    /**
     * @param expiredAtOrBefore epoch ms: dead letters whose last failure is at or before this are past the
     *                          retention and not listed; {@link Long#MIN_VALUE} to list all
     * @param max               the most dead letters kept whole, 1 or more
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    DeadLetterFold(long expiredAtOrBefore, int max) {
        this(expiredAtOrBefore, max, true);
    }

    /**
     * @param expiredAtOrBefore epoch ms: dead letters whose last failure is at or before this are past the
     *                          retention and not listed; {@link Long#MIN_VALUE} to list all
     * @param max               the most dead letters kept whole, 1 or more
     * @param envelopes         whether to keep each dead letter's envelope; without, it reads as empty
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    DeadLetterFold(long expiredAtOrBefore, int max, boolean envelopes) {
        this.envelopes = envelopes;
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        this.expiredAtOrBefore = expiredAtOrBefore;
        this.max = max;
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
                Kept kept = new Kept(envelopes ? dead.letter() : withoutEnvelope(dead.letter()), offset);
                byId.put(kept.letter().eventId(), kept);
                byTime.add(kept);
                if (byTime.size() > max) {
                    Kept oldest = byTime.pollFirst();
                    byId.remove(oldest.letter().eventId());
                    LeftOut out = new LeftOut(oldest.letter().eventId(), oldest.offset(),
                            oldest.letter().lastFailedAt().toEpochMilli());
                    leftOut.put(out.eventId(), out);
                    leftOutByTime.add(out);
                }
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
            while (!leftOutByTime.isEmpty() && leftOutByTime.first().lastFailedAt() < before) {
                leftOut.remove(leftOutByTime.pollFirst().eventId());
            }
        }
    }

    /**
     * Moves the retention on, for a fold kept between reads: drops the dead letters whose last failure is at or
     * before the time, and leaves out those applied later that are. A time before the current one changes nothing.
     *
     * @param atOrBefore epoch ms
     */
    void expire(long atOrBefore) {
        if (atOrBefore <= expiredAtOrBefore) {
            return;
        }
        expiredAtOrBefore = atOrBefore;
        while (!byTime.isEmpty() && byTime.first().letter().lastFailedAt().toEpochMilli() <= atOrBefore) {
            byId.remove(byTime.pollFirst().letter().eventId());
        }
        while (!leftOutByTime.isEmpty() && leftOutByTime.first().lastFailedAt() <= atOrBefore) {
            leftOut.remove(leftOutByTime.pollFirst().eventId());
        }
    }

    private static DeadLetter withoutEnvelope(DeadLetter letter) {
        return new DeadLetter(letter.eventId(), letter.eventName(), letter.failedSubscriptions(), letter.attempts(),
                letter.lastError(), letter.firstFailedAt(), letter.lastFailedAt(), "");
    }

    /** Counts a message of the stream that did not decode, and was skipped. */
    void skipUndecodable() {
        undecodable++;
    }

    /** @return how many messages read did not decode (and were skipped) */
    long undecodable() {
        return undecodable;
    }

    /** @return how many dead letters there are, those left out past the bound included */
    int total() {
        return byId.size() + leftOut.size();
    }

    /**
     * @param eventId an event id
     * @return its dead letter, or empty (also when left out past the bound)
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
     * @return the page; its total counts every dead letter, those left out past the bound included
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
        return new DeadLetterPage(items, offset, total());
    }

    /**
     * A page of the dead letters that match a filter, newest first, in one pass: only the page's items are
     * collected, the others matching are counted.
     *
     * @param filter which dead letters
     * @param offset how many matching ones to skip, 0 or more
     * @param limit  how many to return, 1 to {@link DeadLetterPage#MAX_LIMIT}
     * @return the page; its total counts the matching dead letters kept whole (those left out past the bound cannot
     *         be matched: their names and errors are not kept)
     * @throws IllegalArgumentException as {@link DeadLetterPage#checkRequest} says
     */
    DeadLetterPage page(DeadLetterFilter filter, int offset, int limit) {
        DeadLetterPage.checkRequest(offset, limit);
        Objects.requireNonNull(filter, "filter");
        List<DeadLetter> items = new ArrayList<>();
        int matching = 0;
        for (Iterator<Kept> it = byTime.descendingIterator(); it.hasNext(); ) {
            DeadLetter letter = it.next().letter();
            if (filter.matches(letter)) {
                if (matching >= offset && items.size() < limit) {
                    items.add(letter);
                }
                matching++;
            }
        }
        return new DeadLetterPage(items, offset, matching);
    }

    /**
     * @param filter which dead letters
     * @return the dead letters kept whole that match it, oldest first
     */
    List<Kept> oldestFirst(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return byTime.stream().filter(kept -> filter.matches(kept.letter())).toList();
    }

    /** @return every dead letter kept whole, oldest first: those left out past the bound are not */
    List<Kept> oldestFirst() {
        return List.copyOf(byTime);
    }

    /**
     * @param beforeMillis epoch ms
     * @return how many dead letters failed last before it, those left out past the bound included: what a
     *         {@link DeadLetterLog.Cleaned} of that time written now deletes
     */
    int countFailedBefore(long beforeMillis) {
        int count = 0;
        for (Kept kept : byTime) {
            if (kept.letter().lastFailedAt().toEpochMilli() >= beforeMillis) {
                break;
            }
            count++;
        }
        for (LeftOut out : leftOutByTime) {
            if (out.lastFailedAt() >= beforeMillis) {
                break;
            }
            count++;
        }
        return count;
    }

    private void removeIfAt(UUID eventId, long offset) {
        Kept kept = byId.get(eventId);
        LeftOut out = leftOut.get(eventId);
        if (kept != null && kept.offset() == offset || out != null && out.offset() == offset) {
            remove(eventId);
        }
    }

    private void remove(UUID eventId) {
        Kept kept = byId.remove(eventId);
        if (kept != null) {
            byTime.remove(kept);
        }
        LeftOut out = leftOut.remove(eventId);
        if (out != null) {
            leftOutByTime.remove(out);
        }
    }
}
