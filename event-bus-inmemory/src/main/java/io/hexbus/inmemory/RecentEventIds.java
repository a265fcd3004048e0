package io.hexbus.inmemory;

import java.time.Clock;
import java.util.UUID;

/**
 * The ids published lately, bounded by count and by age, without allocating per id: the publish hot path
 * of the in-memory bus goes through here on every event.
 *
 * <p>Large windows are split into stripes by id hash, each with its own lock, so that concurrent publishers
 * rarely contend; each stripe forgets its oldest ids first. Small windows use one stripe, so their count
 * bound is exact. Thread-safe.
 */
final class RecentEventIds {

    private static final int STRIPED_FROM = 1_024;
    private static final int STRIPES = 16;

    private final Stripe[] stripes;
    private final long windowMillis;
    private final Clock clock;

    RecentEventIds(InMemoryEventBusSettings settings, Clock clock) {
        int count = settings.dedupeCapacity() >= STRIPED_FROM ? STRIPES : 1;
        int perStripe = (settings.dedupeCapacity() + count - 1) / count;
        this.stripes = new Stripe[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new Stripe(perStripe);
        }
        this.windowMillis = settings.dedupeWindow().toMillis();
        this.clock = clock;
    }

    /**
     * Records an id.
     *
     * @return true if it is new, false if it was seen within the window
     */
    boolean markSeen(UUID id) {
        long msb = id.getMostSignificantBits();
        long lsb = id.getLeastSignificantBits();
        long hash = mix(msb ^ lsb);
        Stripe stripe = stripes[(int) (hash >>> 60) & (stripes.length - 1)];
        long now = clock.millis();
        synchronized (stripe) {
            return stripe.markSeen(msb, lsb, (int) hash, now, windowMillis);
        }
    }

    int size() {
        int size = 0;
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                size += stripe.count;
            }
        }
        return size;
    }

    private static long mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }

    /**
     * A ring of ids in insertion order (so the oldest is at the head) and an open-addressing index of ring
     * positions with linear probing. An index entry carries the id's hash next to its position, so that
     * probing and deletion compare and move entries without reading the ring: at the default capacity the
     * ring does not fit in a core's cache, and each read of it would be a miss. Guarded by its own monitor.
     */
    private static final class Stripe {
        private final long[] msbs;
        private final long[] lsbs;
        private final long[] seenAt;
        private final long[] index; // hash << 32 | (ring position + 1); 0 is empty
        private final int indexMask;
        private int head;
        private int count;
        // Keeps two stripes' hot fields off one cache line, so threads on different stripes do not contend.
        private long p1, p2, p3, p4, p5, p6, p7;

        Stripe(int capacity) {
            msbs = new long[capacity];
            lsbs = new long[capacity];
            seenAt = new long[capacity];
            int size = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1; // ≥ 2 × capacity, a power of 2
            index = new long[size];
            indexMask = size - 1;
        }

        boolean markSeen(long msb, long lsb, int hash, long now, long windowMillis) {
            while (count > 0 && now - seenAt[head] >= windowMillis) {
                removeOldest();
            }
            int slot = hash & indexMask;
            for (long entry; (entry = index[slot]) != 0; slot = (slot + 1) & indexMask) {
                int position = (int) entry - 1;
                if ((int) (entry >>> 32) == hash && msbs[position] == msb && lsbs[position] == lsb) {
                    return false;
                }
            }
            if (count == msbs.length) {
                removeOldest();
                slot = hash & indexMask; // the removal may have shifted entries into the probe path
                while (index[slot] != 0) {
                    slot = (slot + 1) & indexMask;
                }
            }
            int position = (head + count) % msbs.length;
            msbs[position] = msb;
            lsbs[position] = lsb;
            seenAt[position] = now;
            index[slot] = (long) hash << 32 | (position + 1);
            count++;
            return true;
        }

        private void removeOldest() {
            int slot = (int) mix(msbs[head] ^ lsbs[head]) & indexMask;
            while ((int) index[slot] != head + 1) {
                slot = (slot + 1) & indexMask;
            }
            // Backward-shift deletion keeps every remaining entry reachable from its home slot.
            int hole = slot;
            for (int next = (hole + 1) & indexMask; index[next] != 0; next = (next + 1) & indexMask) {
                int home = (int) (index[next] >>> 32) & indexMask;
                boolean movable = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
                if (movable) {
                    index[hole] = index[next];
                    hole = next;
                }
            }
            index[hole] = 0;
            head = (head + 1) % msbs.length;
            count--;
        }
    }
}
