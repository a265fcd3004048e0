package io.hexbus.kafka;

import java.util.UUID;

/**
 * The event ids a group handled in one partition, each with the time it was handled: what lets a worker acknowledge
 * a duplicate record without running it. Bounded two ways: an id older than the window is not reported
 * ({@link #contains}) and is forgotten, and past {@code maxIds} the ids added first are forgotten first.
 *
 * <p><b>Memory:</b> 32 to 40 bytes per id of room, in primitive arrays: a ring of two {@code long}s and the handled
 * time ({@value #RING_BYTES_PER_ID} bytes) in the order the ids were added, and an open-addressing index of
 * {@code int} ring positions, a power of 2 at least twice the ring (8 to 16 bytes per id). Both grow by doubling as
 * ids are added, up to {@code maxIds}, and do not shrink: the default million ids take 24 MB of ring and 8 MB of
 * index, 32 MB per partition.
 *
 * <p><b>Re-adding</b> an id remembered keeps the later of its two times and its place in the forgetting order
 * (moving it would leave a hole in the ring); the state topic holds an id twice only when a record was written
 * again, moments after the first.
 *
 * <p><b>Times</b> are the caller's (epoch ms): {@link #add} forgets the ids at the ring's head that are older than
 * the window at the time it is given, {@link #forgetExpired} at the time it is given. Ids added out of time order
 * are each judged by their own time in {@link #contains}; one that expired behind a newer head takes room until it
 * reaches the head.
 *
 * <p>Thread-safe: every method holds the instance's monitor, so that the thread that acknowledges (and adds) and the
 * fetch thread (which asks) need no hand-over; a call takes well under a microsecond, beside the Kafka write that
 * comes with each id. Never blocks otherwise; throws only for a null id.
 */
final class HandledIds {

    /** Bytes per id in the ring: two {@code long}s of the id and a {@code long} time. */
    static final int RING_BYTES_PER_ID = 24;

    private static final int FIRST_CAPACITY = 1 << 10;

    private final long windowMillis;
    private final int maxIds;
    private long[] msbs;
    private long[] lsbs;
    private long[] handledAt;
    private int[] index; // ring position + 1 at each slot; 0 is empty
    private int head;
    private int count;

    /**
     * @param windowMillis how long an id is reported after it was handled, positive
     * @param maxIds       the most ids remembered, at least 1 and at most
     *                     {@link KafkaQueueSettings#MAX_REMEMBERED_IDS}
     * @throws IllegalArgumentException if a bound is out of range
     */
    HandledIds(long windowMillis, int maxIds) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("windowMillis must be positive, got " + windowMillis);
        }
        if (maxIds < 1 || maxIds > KafkaQueueSettings.MAX_REMEMBERED_IDS) {
            throw new IllegalArgumentException("maxIds must be 1 to " + KafkaQueueSettings.MAX_REMEMBERED_IDS
                    + ", got " + maxIds);
        }
        this.windowMillis = windowMillis;
        this.maxIds = maxIds;
        allocate(Math.min(maxIds, FIRST_CAPACITY));
    }

    /**
     * @param settings the window and the bound, {@link KafkaQueueSettings#dedupeWindow()} and
     *                 {@link KafkaQueueSettings#maxRememberedIds()}
     * @return an empty record of handled ids
     */
    static HandledIds of(KafkaQueueSettings settings) {
        return new HandledIds(settings.dedupeWindow().toMillis(), settings.maxRememberedIds());
    }

    /**
     * Remembers that an id was handled, first forgetting the ids at the head that are older than the window at
     * {@code handledAtMillis}, then the one added first if all {@code maxIds} are taken.
     *
     * @param id              the event id
     * @param handledAtMillis when it was handled, epoch ms
     */
    synchronized void add(UUID id, long handledAtMillis) {
        long msb = id.getMostSignificantBits();
        long lsb = id.getLeastSignificantBits();
        forgetExpiredAt(handledAtMillis);
        int position = find(msb, lsb);
        if (position >= 0) {
            handledAt[position] = Math.max(handledAt[position], handledAtMillis);
            return;
        }
        if (count == msbs.length) {
            if (msbs.length < maxIds) {
                grow();
            } else {
                removeHead();
            }
        }
        position = (head + count) % msbs.length;
        msbs[position] = msb;
        lsbs[position] = lsb;
        handledAt[position] = handledAtMillis;
        int slot = home(msb, lsb);
        while (index[slot] != 0) {
            slot = (slot + 1) & (index.length - 1);
        }
        index[slot] = position + 1;
        count++;
    }

    /**
     * @param id        the event id
     * @param nowMillis the time now, epoch ms
     * @return true if the id was handled less than the window before {@code nowMillis} and is still remembered
     */
    synchronized boolean contains(UUID id, long nowMillis) {
        int position = find(id.getMostSignificantBits(), id.getLeastSignificantBits());
        return position >= 0 && nowMillis - handledAt[position] < windowMillis;
    }

    /**
     * @param id          an event id
     * @param sinceMillis a time, epoch ms
     * @param nowMillis   the time now, epoch ms
     * @return whether the id was handled at or after {@code sinceMillis} (its latest handled time) and is still
     *         within the window
     */
    synchronized boolean handledSince(UUID id, long sinceMillis, long nowMillis) {
        int position = find(id.getMostSignificantBits(), id.getLeastSignificantBits());
        return position >= 0 && nowMillis - handledAt[position] < windowMillis && handledAt[position] >= sinceMillis;
    }

    /**
     * Forgets the ids at the head of the forgetting order that are older than the window at {@code nowMillis}
     * (the housekeeping that keeps an idle partition's ids from outliving the window in memory).
     *
     * @param nowMillis the time now, epoch ms
     */
    synchronized void forgetExpired(long nowMillis) {
        forgetExpiredAt(nowMillis);
    }

    /**
     * @return how many ids are remembered, those expired but not yet forgotten included
     */
    synchronized int size() {
        return count;
    }

    /**
     * @return the ids the arrays have room for now (they grow up to {@code maxIds}), for tests of the memory bound
     */
    synchronized int capacity() {
        return msbs.length;
    }

    /**
     * @return the bytes the arrays take now, object headers left out
     */
    synchronized long bytes() {
        return (long) msbs.length * RING_BYTES_PER_ID + (long) index.length * Integer.BYTES;
    }

    private void forgetExpiredAt(long nowMillis) {
        while (count > 0 && nowMillis - handledAt[head] >= windowMillis) {
            removeHead();
        }
    }

    /** @return the id's ring position, or -1 */
    private int find(long msb, long lsb) {
        int mask = index.length - 1;
        for (int slot = home(msb, lsb), entry; (entry = index[slot]) != 0; slot = (slot + 1) & mask) {
            if (msbs[entry - 1] == msb && lsbs[entry - 1] == lsb) {
                return entry - 1;
            }
        }
        return -1;
    }

    private int home(long msb, long lsb) {
        // Random (version 4) ids are random already; the mix spreads ids of other versions too.
        long x = (msb ^ Long.rotateLeft(lsb, 32)) * 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 32)) & (index.length - 1);
    }

    private void removeHead() {
        int mask = index.length - 1;
        int slot = home(msbs[head], lsbs[head]);
        while (index[slot] != head + 1) {
            slot = (slot + 1) & mask;
        }
        // Backward-shift deletion: every remaining entry stays reachable from its home slot, with no tombstones.
        int hole = slot;
        for (int next = (hole + 1) & mask, entry; (entry = index[next]) != 0; next = (next + 1) & mask) {
            int entryHome = home(msbs[entry - 1], lsbs[entry - 1]);
            boolean movable = hole <= next ? (entryHome <= hole || entryHome > next)
                    : (entryHome <= hole && entryHome > next);
            if (movable) {
                index[hole] = entry;
                hole = next;
            }
        }
        index[hole] = 0;
        head = (head + 1) % msbs.length;
        count--;
    }

    private void grow() {
        long[] oldMsbs = msbs;
        long[] oldLsbs = lsbs;
        long[] oldHandledAt = handledAt;
        int oldHead = head;
        int oldCount = count;
        allocate((int) Math.min(maxIds, (long) oldMsbs.length * 2));
        for (int i = 0; i < oldCount; i++) {
            int from = (oldHead + i) % oldMsbs.length;
            msbs[i] = oldMsbs[from];
            lsbs[i] = oldLsbs[from];
            handledAt[i] = oldHandledAt[from];
            int slot = home(msbs[i], lsbs[i]);
            while (index[slot] != 0) {
                slot = (slot + 1) & (index.length - 1);
            }
            index[slot] = i + 1;
        }
        count = oldCount;
    }

    private void allocate(int capacity) {
        msbs = new long[capacity];
        lsbs = new long[capacity];
        handledAt = new long[capacity];
        // The smallest power of 2 at least twice the capacity: at most half full, so probes stay short.
        index = new int[Integer.highestOneBit(Math.max(1, capacity) * 2 - 1) << 1];
        head = 0;
        count = 0;
    }

    @Override
    public synchronized String toString() {
        return "HandledIds[" + count + " of at most " + maxIds + ", window " + windowMillis + " ms]";
    }
}
