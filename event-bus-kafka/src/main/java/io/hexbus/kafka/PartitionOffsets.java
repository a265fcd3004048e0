package io.hexbus.kafka;

/**
 * One assignment of one partition: the offsets of the records the backend took from the consumer (handed out:
 * waiting in the {@link KeyGate} or with the engine), which of them are settled (acknowledged, rescheduled or
 * dead-lettered, in any order), and so the offset to commit.
 *
 * <p><b>What is committable.</b> Kafka commits "the next offset to read", so {@link #committable()} is the lowest
 * offset handed out and not settled; when every offset handed out is settled, one past the highest offset read.
 * Offsets the consumer skipped (a transaction's commit marker, records of an aborted transaction, records compacted
 * away) are never handed out; they count as settled as soon as an offset above them was handed out, or the
 * consumer's position passed them ({@link #readUpTo}): nothing will ever be delivered for them, and without the
 * position the commit marker after a partition's last transaction would keep its lag at 1 forever.
 *
 * <p><b>Fencing.</b> The instance stands for one lease: the backend's number for this assignment of the partition
 * (a {@link io.hexbus.engine.backend.Delivery#lease()}). A settle is applied only for an offset this assignment handed
 * out and did not settle yet, under the same lease, before {@link #revoke()}; anything else (never handed out, settled
 * already, another assignment's, or after the revocation) is refused, which the backend reports as a lost lease.
 *
 * <p>Memory: one entry per offset between the committable one and the highest handed out.
 *
 * <p>Thread-safety: thread-safe, each method atomic. Hand-outs, commits and the revocation happen on the fetch thread,
 * but settles come from the engine's threads ({@code acknowledge}, {@code reschedule} and {@code deadLetter} are called
 * from any of them, and must answer at once whether the lease is lost); the lock makes a settle and the revocation
 * exclusive: a settle is either in the offset committed at the revocation, or refused. Uncontended in practice.
 */
final class PartitionOffsets {

    private final long lease;
    // Handed-out offsets, increasing, from the lowest unsettled one: a ring of offsets[head .. head + size).
    private long[] offsets = new long[16];
    private boolean[] settled = new boolean[16];
    private int head;
    private int size;
    private int unsettled; // of those in the ring, which also holds settled ones above the lowest unsettled
    private long readEnd; // one past the highest offset read (handed out or skipped)
    private boolean revoked;

    /**
     * An assignment that starts reading at {@code startOffset}.
     *
     * @param lease       the backend's number for this assignment, carried by its deliveries
     * @param startOffset the consumer's position when the partition was assigned (its committed offset), at least 0
     * @throws IllegalArgumentException if {@code startOffset} is negative
     */
    PartitionOffsets(long lease, long startOffset) {
        if (startOffset < 0) {
            throw new IllegalArgumentException("startOffset must be at least 0, got " + startOffset);
        }
        this.lease = lease;
        this.readEnd = startOffset;
    }

    /** @return the lease of this assignment's deliveries */
    long lease() {
        return lease;
    }

    /**
     * Records that the backend took the record at {@code offset} from the consumer: it is unsettled until
     * {@link #settle}. Records come in offset order; the caller never seeks back over records it handed out.
     *
     * @param offset the record's offset
     * @throws IllegalArgumentException if {@code offset} is not above every offset read so far (a bug: a repeat would
     *                                  let the committed offset skip a record)
     * @throws IllegalStateException    after {@link #revoke()}
     */
    synchronized void handedOut(long offset) {
        requireAssigned();
        if (offset < readEnd) {
            throw new IllegalArgumentException("offset " + offset + " handed out after offsets up to "
                    + (readEnd - 1) + " were read: records of a partition are handed out once each, in offset order");
        }
        if (size == offsets.length) {
            grow();
        }
        int slot = (head + size) % offsets.length;
        offsets[slot] = offset;
        settled[slot] = false;
        size++;
        unsettled++;
        readEnd = offset + 1;
    }

    /**
     * Records the consumer's position after a poll, once the records it returned were handed out: the offsets below
     * it that were not handed out will never be (markers, aborted or compacted records), so they count as settled. A
     * position not above what was read says nothing new and is ignored.
     *
     * @param position the consumer's position in this partition (the next offset it will read)
     * @throws IllegalStateException after {@link #revoke()}
     */
    synchronized void readUpTo(long position) {
        requireAssigned();
        readEnd = Math.max(readEnd, position);
    }

    /**
     * Settles a record: acknowledged, rescheduled or dead-lettered.
     *
     * @param offset the record's offset
     * @param lease  the lease of the delivery being settled
     * @return true when applied; false when refused, changing nothing: the offset was not handed out by this
     *         assignment, or was settled already, or {@code lease} is another assignment's, or the partition was
     *         revoked. The backend reports a refusal as a lost lease
     */
    synchronized boolean settle(long offset, long lease) {
        if (revoked || lease != this.lease) {
            return false;
        }
        int index = indexOf(offset);
        if (index < 0) {
            return false;
        }
        int slot = (head + index) % offsets.length;
        if (settled[slot]) {
            return false;
        }
        settled[slot] = true;
        unsettled--;
        while (size > 0 && settled[head]) { // what is settled below every unsettled offset is not needed any more
            head = (head + 1) % offsets.length;
            size--;
        }
        return true;
    }

    /**
     * @return the offset to commit: the lowest offset handed out and not settled, or, when none is unsettled, one past
     *         the highest offset read; the start offset before anything was read. Unchanged by the revocation, so the
     *         rebalance listener can commit it then
     */
    synchronized long committable() {
        return size == 0 ? readEnd : offsets[head];
    }

    /** @return how many records handed out are not settled */
    synchronized int unsettled() {
        return unsettled;
    }

    /**
     * Ends the assignment (the partition was revoked or lost): every later settle is refused, and nothing more can be
     * handed out. Calling it again returns the same offsets.
     *
     * @return the offsets handed out and not settled, increasing: their deliveries' leases are lost
     */
    synchronized long[] revoke() {
        revoked = true;
        long[] lost = new long[unsettled];
        int count = 0;
        for (int i = 0; i < size; i++) {
            int slot = (head + i) % offsets.length;
            if (!settled[slot]) {
                lost[count++] = offsets[slot];
            }
        }
        return lost;
    }

    /** @return whether {@link #revoke()} was called */
    synchronized boolean isRevoked() {
        return revoked;
    }

    private void requireAssigned() {
        if (revoked) {
            throw new IllegalStateException("the partition was revoked (lease " + lease + ")");
        }
    }

    /** Binary search over the ring, whose offsets increase from head: the index from head, or -1. */
    private int indexOf(long offset) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            long found = offsets[(head + middle) % offsets.length];
            if (found < offset) {
                low = middle + 1;
            } else if (found > offset) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    private void grow() {
        long[] moreOffsets = new long[offsets.length * 2];
        boolean[] moreSettled = new boolean[offsets.length * 2];
        for (int i = 0; i < size; i++) {
            int slot = (head + i) % offsets.length;
            moreOffsets[i] = offsets[slot];
            moreSettled[i] = settled[slot];
        }
        offsets = moreOffsets;
        settled = moreSettled;
        head = 0;
    }
}
