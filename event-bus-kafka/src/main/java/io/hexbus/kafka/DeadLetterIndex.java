package io.hexbus.kafka;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The dead letters of a read of the dead-letter topic, folded: the latest record of each event id, a tombstone
 * (a record without value) removing it, ordered by last failure. Holds where each record is, not the record itself
 * (an envelope may be large): {@link DeadLetterReader#read} fetches the records of the entries wanted.
 *
 * <p>Bounded: at most {@code max} entries are indexed. Beyond that the oldest (by last failure) are left out of
 * the index, so pages, lookups and retries do not see them; only their ids and partitions are kept (some 60 bytes
 * each, against a few hundred for an entry), so that {@link #total()} stays exact and cleaning by age still
 * reaches them ({@link #leftOutIds()}). With a cut-off, only dead letters whose latest record failed before it
 * are kept: what cleaning by age removes; with a filter, only those whose latest record matches it (the bound then
 * counts only them).
 *
 * <p>Not thread-safe: filled by one reader, then only read.
 */
final class DeadLetterIndex {

    /**
     * Where a dead letter is.
     *
     * @param eventId      its event id
     * @param partition    the partition of its latest record
     * @param offset       the offset of its latest record
     * @param lastFailedAt its last failure, epoch ms
     */
    record Entry(UUID eventId, int partition, long offset, long lastFailedAt) {
    }

    private static final Comparator<Entry> OLDEST_FIRST = Comparator.comparingLong(Entry::lastFailedAt)
            .thenComparingInt(Entry::partition).thenComparingLong(Entry::offset);

    private final int max;
    private final long before;
    private final Map<UUID, Entry> byId = new HashMap<>();
    private final TreeSet<Entry> byTime = new TreeSet<>(OLDEST_FIRST);
    private final Map<UUID, Integer> leftOut = new HashMap<>(); // id -> partition, of live dead letters not indexed

    /**
     * @param max    the most entries kept, 1 or more
     * @param before keep only dead letters whose last failure is before this (epoch ms); {@link Long#MAX_VALUE}
     *               for all
     */
    DeadLetterIndex(int max, long before) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        this.max = max;
        this.before = before;
    }

    /**
     * Folds in the next record of a partition, in offset order.
     *
     * @param partition    its partition
     * @param offset       its offset
     * @param key          its key; a record whose key is not an event id is ignored
     * @param tombstone    whether it has no value
     * @param lastFailedAt its last failure, epoch ms (ignored for a tombstone)
     */
    void add(int partition, long offset, String key, boolean tombstone, long lastFailedAt) {
        add(partition, offset, key, tombstone, lastFailedAt, true);
    }

    /**
     * Folds in the next record of a partition, in offset order, keeping its dead letter only if it matches: one that
     * does not is a dead letter still (it replaces the earlier record of its id), left out of the index and its
     * total, as one past the cut-off is.
     *
     * @param partition    its partition
     * @param offset       its offset
     * @param key          its key; a record whose key is not an event id is ignored
     * @param tombstone    whether it has no value
     * @param lastFailedAt its last failure, epoch ms (ignored for a tombstone)
     * @param matches      whether its dead letter is one of those wanted (ignored for a tombstone)
     */
    void add(int partition, long offset, String key, boolean tombstone, long lastFailedAt, boolean matches) {
        UUID id;
        try {
            id = key == null ? null : UUID.fromString(key);
        } catch (IllegalArgumentException notAnId) {
            id = null;
        }
        if (id == null) {
            return;
        }
        Entry existing = byId.get(id);
        Integer leftOutIn = leftOut.get(id);
        // Records of one id are in one partition unless the topic's partitions were changed by hand: then the
        // latest failure wins, and a tombstone removes only the record of its own partition.
        if (existing != null && existing.partition() != partition
                && (tombstone || existing.lastFailedAt() > lastFailedAt)) {
            return;
        }
        if (leftOutIn != null && leftOutIn != partition && tombstone) {
            return;
        }
        if (existing != null) {
            byId.remove(id);
            byTime.remove(existing);
        }
        leftOut.remove(id);
        if (tombstone || !matches || lastFailedAt >= before) {
            return;
        }
        Entry entry = new Entry(id, partition, offset, lastFailedAt);
        byId.put(id, entry);
        byTime.add(entry);
        if (byTime.size() > max) {
            Entry oldest = byTime.pollFirst();
            byId.remove(oldest.eventId());
            leftOut.put(oldest.eventId(), oldest.partition());
        }
    }

    /** @return how many dead letters there are: those indexed and those left out */
    long total() {
        return byId.size() + leftOut.size();
    }

    /** @return how many dead letters are indexed */
    int size() {
        return byId.size();
    }

    /** @return how many of the oldest dead letters were left out for room */
    long leftOut() {
        return leftOut.size();
    }

    /** @return the event ids of the dead letters left out for room, each with the partition of its record */
    Map<UUID, Integer> leftOutIds() {
        return Map.copyOf(leftOut);
    }

    /**
     * @param eventId an event id
     * @return its dead letter, if indexed
     */
    Optional<Entry> get(UUID eventId) {
        return Optional.ofNullable(byId.get(eventId));
    }

    /**
     * @param offset how many of the newest to skip
     * @param limit  how many to return at most
     * @return the entries, newest first
     */
    List<Entry> newestFirst(int offset, int limit) {
        List<Entry> page = new ArrayList<>(Math.min(limit, byTime.size()));
        Iterator<Entry> it = byTime.descendingIterator();
        for (int skipped = 0; skipped < offset && it.hasNext(); skipped++) {
            it.next();
        }
        while (page.size() < limit && it.hasNext()) {
            page.add(it.next());
        }
        return page;
    }

    /** @return every entry, oldest first */
    List<Entry> oldestFirst() {
        return List.copyOf(byTime);
    }
}
