package io.hexbus.kafka;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PartitionOffsets} without a broker: the committable offset is the lowest unsettled one whatever order records
 * settle in, skipped offsets count as settled, and settles that are not this assignment's own are refused.
 */
class PartitionOffsetsTest {

    private static final long LEASE = 7;

    @Test
    void beforeAnythingIsReadTheStartOffsetIsCommittable() {
        PartitionOffsets offsets = new PartitionOffsets(LEASE, 40);

        assertEquals(40, offsets.committable());
        assertEquals(0, offsets.unsettled());
        assertEquals(LEASE, offsets.lease());
    }

    @Test
    void theCommittableOffsetStopsAtTheLowestUnsettledOne() {
        PartitionOffsets offsets = new PartitionOffsets(LEASE, 10);
        for (long offset = 10; offset < 15; offset++) {
            offsets.handedOut(offset);
        }

        assertTrue(offsets.settle(12, LEASE));
        assertTrue(offsets.settle(11, LEASE));
        assertEquals(10, offsets.committable(), "10 is not settled: Kafka must read it again after a crash");

        assertTrue(offsets.settle(10, LEASE));
        assertEquals(13, offsets.committable());
        assertEquals(2, offsets.unsettled());

        assertTrue(offsets.settle(14, LEASE));
        assertTrue(offsets.settle(13, LEASE));
        assertEquals(15, offsets.committable(), "one past the last record: the next offset to read");
    }

    @Test
    void offsetsNeverHandedOutBelowAHandedOutOneCountAsSettled() {
        PartitionOffsets offsets = new PartitionOffsets(LEASE, 0);
        offsets.handedOut(0);
        offsets.handedOut(2); // 1: a transaction's commit marker
        offsets.handedOut(6); // 3-5: an aborted transaction's records and its marker

        assertTrue(offsets.settle(0, LEASE));
        assertEquals(2, offsets.committable());
        assertTrue(offsets.settle(2, LEASE));
        assertEquals(6, offsets.committable(), "the gap below the unsettled 6 is skipped");
        assertTrue(offsets.settle(6, LEASE));
        assertEquals(7, offsets.committable());
    }

    @Test
    void theConsumersPositionPassesTrailingMarkersSoTheLagCanReachZero() {
        PartitionOffsets offsets = new PartitionOffsets(LEASE, 0);
        offsets.handedOut(0);
        offsets.handedOut(1);
        offsets.readUpTo(3); // 2: the commit marker of the transaction of 0 and 1

        assertEquals(0, offsets.committable());
        assertTrue(offsets.settle(1, LEASE));
        assertTrue(offsets.settle(0, LEASE));
        assertEquals(3, offsets.committable());

        offsets.readUpTo(2);
        assertEquals(3, offsets.committable(), "a position below what was read says nothing new");
        assertThrows(IllegalArgumentException.class, () -> offsets.handedOut(2),
                "an offset the position passed is never handed out");
    }

    @Test
    void aPositionDoesNotPassAnUnsettledRecord() {
        PartitionOffsets offsets = new PartitionOffsets(LEASE, 0);
        offsets.handedOut(4);
        offsets.readUpTo(9);

        assertEquals(4, offsets.committable());
        assertTrue(offsets.settle(4, LEASE));
        assertEquals(9, offsets.committable());
    }

    @Test
    void aSettleOfAnOffsetNotHandedOutIsRefusedAndChangesNothing() {
        PartitionOffsets offsets = new PartitionOffsets(LEASE, 0);
        offsets.handedOut(0);
        offsets.handedOut(2);

        assertFalse(offsets.settle(1, LEASE), "a gap");
        assertFalse(offsets.settle(3, LEASE), "not read yet");
        assertFalse(offsets.settle(-1, LEASE), "below the start");
        assertEquals(0, offsets.committable());
        assertEquals(2, offsets.unsettled());
    }

    @Test
    void aSecondSettleOfAnOffsetIsRefused() {
        PartitionOffsets offsets = new PartitionOffsets(LEASE, 0);
        offsets.handedOut(0);
        offsets.handedOut(1);

        assertTrue(offsets.settle(1, LEASE));
        assertFalse(offsets.settle(1, LEASE), "settled, still above the committable offset");
        assertTrue(offsets.settle(0, LEASE));
        assertFalse(offsets.settle(0, LEASE), "settled, now below the committable offset");
        assertEquals(2, offsets.committable());
    }

    @Test
    void aSettleUnderAnotherLeaseIsRefused() {
        PartitionOffsets offsets = new PartitionOffsets(LEASE, 0);
        offsets.handedOut(0);

        assertFalse(offsets.settle(0, LEASE - 1), "a delivery of an earlier assignment of the partition");
        assertEquals(1, offsets.unsettled());
        assertEquals(0, offsets.committable());
    }

    @Test
    void revokingReturnsTheUnsettledOffsetsAndRefusesEverySettleAfter() {
        PartitionOffsets offsets = new PartitionOffsets(LEASE, 100);
        for (long offset = 100; offset < 106; offset++) {
            offsets.handedOut(offset);
        }
        offsets.settle(100, LEASE);
        offsets.settle(103, LEASE);

        assertArrayEquals(new long[] {101, 102, 104, 105}, offsets.revoke());
        assertTrue(offsets.isRevoked());
        assertEquals(101, offsets.committable(), "what the rebalance listener commits");

        assertFalse(offsets.settle(101, LEASE), "its lease is lost");
        assertEquals(101, offsets.committable());
        assertArrayEquals(new long[] {101, 102, 104, 105}, offsets.revoke(), "a second call answers the same");
        assertThrows(IllegalStateException.class, () -> offsets.handedOut(106));
        assertThrows(IllegalStateException.class, () -> offsets.readUpTo(110));
    }

    @Test
    void revokingWithNothingUnsettledReturnsNothing() {
        PartitionOffsets offsets = new PartitionOffsets(LEASE, 0);
        offsets.handedOut(0);
        offsets.settle(0, LEASE);

        assertArrayEquals(new long[0], offsets.revoke());
    }

    @Test
    void offsetsHandedOutTwiceOrBackwardsAreRefused() {
        PartitionOffsets offsets = new PartitionOffsets(LEASE, 5);
        assertThrows(IllegalArgumentException.class, () -> offsets.handedOut(4), "below the start");
        offsets.handedOut(5);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> offsets.handedOut(5));
        assertTrue(refused.getMessage().contains("offset 5"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PartitionOffsets(LEASE, -1));
    }

    /**
     * Against a model (a sorted set of what is unsettled, and the highest offset read): thousands of records with
     * gaps, settled in random order, the ring growing and wrapping; after each step the committable offset matches.
     */
    @Test
    void anyOrderOfSettlesMatchesTheModel() {
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            long start = random.nextInt(1_000);
            PartitionOffsets offsets = new PartitionOffsets(LEASE, start);
            TreeSet<Long> unsettled = new TreeSet<>();
            List<Long> handedOut = new ArrayList<>();
            long next = start;
            long readEnd = start;
            for (int step = 0; step < 3_000; step++) {
                int action = random.nextInt(10);
                if (action < 5) {
                    next += random.nextInt(8) == 0 ? 1 + random.nextInt(3) : 0; // a marker or an aborted record
                    offsets.handedOut(next);
                    unsettled.add(next);
                    handedOut.add(next);
                    readEnd = ++next;
                } else if (action < 9 && !handedOut.isEmpty()) {
                    long offset = handedOut.get(random.nextInt(handedOut.size()));
                    assertEquals(unsettled.remove(offset), offsets.settle(offset, LEASE),
                            "seed " + seed + ": settle " + offset);
                } else {
                    long position = next + random.nextInt(3);
                    offsets.readUpTo(position);
                    next = position;
                    readEnd = position;
                }
                long expected = unsettled.isEmpty() ? readEnd : unsettled.first();
                assertEquals(expected, offsets.committable(), "seed " + seed + " step " + step);
                assertEquals(unsettled.size(), offsets.unsettled(), "seed " + seed + " step " + step);
            }
            Collections.shuffle(handedOut, random);
            long[] lost = unsettled.stream().mapToLong(Long::longValue).toArray();
            assertArrayEquals(lost, offsets.revoke(), "seed " + seed);
        }
    }
}
