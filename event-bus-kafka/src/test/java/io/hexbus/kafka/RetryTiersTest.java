package io.hexbus.kafka;

import io.hexbus.kafka.RetryTiers.Decision;
import io.hexbus.kafka.RetryTiers.Tier;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RetryTiers} without a broker: the tiers and their topics, each decision about a tier's head, and, simulated
 * over many delays and consumer delays, that a retry is never early, late by at most the slack plus the consumer's
 * delay, and written to each tier at most 3 times.
 */
class RetryTiersTest {

    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    @Test
    void theTiersAreTheDesignsWithTheirTopicNames() {
        List<String> labels = new ArrayList<>();
        List<Long> waits = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            labels.add(tier.label());
            waits.add(tier.waitMillis());
        }

        assertEquals(List.of("1s", "4s", "16s", "1m", "4m", "16m", "1h", "4h", "16h"), labels);
        assertEquals(List.of(SECOND, 4 * SECOND, 16 * SECOND, MINUTE, 4 * MINUTE, 16 * MINUTE, HOUR, 4 * HOUR,
                16 * HOUR), waits);
        assertEquals("hexbus.domain-events.billing.retry.16m", Tier.M16.topic("hexbus.domain-events", "billing"));
        for (int i = 1; i < Tier.values().length; i++) {
            long ratio = Tier.values()[i].waitMillis() / Tier.values()[i - 1].waitMillis();
            assertTrue(ratio <= 4, "the 3-writes-per-tier bound needs each tier at most 4 times the one below");
        }
    }

    @Test
    void tierForIsTheLargestTierNotAboveTheRemainingWait() {
        assertEquals(Tier.S1, RetryTiers.tierFor(Long.MIN_VALUE));
        assertEquals(Tier.S1, RetryTiers.tierFor(0));
        assertEquals(Tier.S1, RetryTiers.tierFor(999), "less than the smallest tier");
        assertEquals(Tier.S1, RetryTiers.tierFor(SECOND));
        assertEquals(Tier.S1, RetryTiers.tierFor(4 * SECOND - 1));
        assertEquals(Tier.S4, RetryTiers.tierFor(4 * SECOND));
        assertEquals(Tier.S16, RetryTiers.tierFor(MINUTE - 1));
        assertEquals(Tier.M1, RetryTiers.tierFor(MINUTE));
        assertEquals(Tier.H1, RetryTiers.tierFor(2 * HOUR));
        assertEquals(Tier.H16, RetryTiers.tierFor(16 * HOUR));
        assertEquals(Tier.H16, RetryTiers.tierFor(Long.MAX_VALUE));
    }

    @Test
    void theTierToWriteAllowsTheSlack() {
        assertEquals(Tier.S4, RetryTiers.tierToWrite(3_000), "3 s left: 4 s late by 1 s at most, not 3 writes");
        assertEquals(Tier.S1, RetryTiers.tierToWrite(2_999));
        assertEquals(Tier.H1, RetryTiers.tierToWrite(HOUR - 400), "read 400 ms late: 1 hour left all but 400 ms");
        assertEquals(Tier.H16, RetryTiers.tierToWrite(Long.MAX_VALUE), "no overflow");
    }

    @Test
    void aHeadThatIsDueIsHandedOver() {
        assertInstanceOf(Decision.Due.class, RetryTiers.decide(0, Tier.S4, 4_000, 4_000));
        assertInstanceOf(Decision.Due.class, RetryTiers.decide(0, Tier.S4, 4_000, 9_000));
        assertInstanceOf(Decision.Due.class, RetryTiers.decide(0, Tier.S4, 2_000, 2_000),
                "due before its tier's wait ended: not held for the tier");
    }

    @Test
    void aHeadThatHasNotWaitedItsTierWaitsForItsTierOrItsDueTime() {
        assertEquals(new Decision.Wait(4_000), RetryTiers.decide(0, Tier.S4, 10_000, 1_000));
        assertEquals(new Decision.Wait(2_500), RetryTiers.decide(0, Tier.S4, 2_500, 1_000));
    }

    @Test
    void aHeadThatWaitedItsTierAndIsNotDueHopsToTheTierForWhatRemains() {
        assertEquals(new Decision.Hop(Tier.S16, 20_000), RetryTiers.decide(0, Tier.M1, 80_000, 60_000));
        assertEquals(new Decision.Hop(Tier.H1, HOUR - 100), RetryTiers.decide(0, Tier.H1, 2 * HOUR, HOUR + 100));
    }

    @Test
    void aHeadWithLessThanTheSmallestTierLeftHopsToItRatherThanHoldTheRecordsBehindIt() {
        assertEquals(new Decision.Hop(Tier.S1, 900), RetryTiers.decide(0, Tier.S4, 4_900, 4_000));
        assertEquals(new Decision.Wait(5_000), RetryTiers.decide(4_100, Tier.S1, 5_000, 4_200),
                "then handed over at its due time, not at the end of the tier's wait");
    }

    @Test
    void aHopHasTimeLeft() {
        assertThrows(IllegalArgumentException.class, () -> new Decision.Hop(Tier.S1, 0));
        assertThrows(NullPointerException.class, () -> new Decision.Hop(null, 1));
    }

    @Test
    void aTwoHourRetryReadLateIsWrittenTwiceNotEighteenTimes() {
        Run run = simulate(2 * HOUR, 100, 10, new Random(1));

        assertEquals(List.of(Tier.H1, Tier.H1), run.writes());
        assertTrue(run.lateMillis() >= 0 && run.lateMillis() <= 200, "late by " + run.lateMillis());
    }

    /**
     * Many delays, from none to three days, and consumers that look at a head up to a minute late: never early, late
     * by at most the slack plus the consumer's delay, tiers never going up, at most 3 writes per tier below the top
     * one, one per 16 hours in the top one.
     */
    @Test
    void neverEarlyBoundedLatenessAndBoundedHops() {
        long[] lookDelays = {0, 1, 100, 999, 5 * SECOND, MINUTE};
        int worstWrites = 0;
        for (long seed = 1; seed <= 4_000; seed++) {
            Random random = new Random(seed);
            long delay = random.nextInt(10) == 0 ? random.nextInt(5 * (int) SECOND)
                    : (long) Math.exp(random.nextDouble() * Math.log(3 * 24 * HOUR));
            long lookDelay = lookDelays[random.nextInt(lookDelays.length)];
            long writeMillis = random.nextInt(50);
            Run run = simulate(delay, lookDelay, writeMillis, random);
            String context = "seed " + seed + ", delay " + delay + ", look delay " + lookDelay + ": " + run;

            assertTrue(run.lateMillis() >= 0, "early, " + context);
            assertTrue(run.lateMillis() <= RetryTiers.SLACK_MILLIS + lookDelay + writeMillis, "too late, " + context);
            Map<Tier, Integer> perTier = new EnumMap<>(Tier.class);
            for (int i = 0; i < run.writes().size(); i++) {
                Tier tier = run.writes().get(i);
                perTier.merge(tier, 1, Integer::sum);
                assertTrue(i == 0 || tier.compareTo(run.writes().get(i - 1)) <= 0, "a tier up, " + context);
            }
            perTier.forEach((tier, writes) -> {
                long bound = tier == Tier.H16 ? (delay + RetryTiers.SLACK_MILLIS) / tier.waitMillis() : 3;
                assertTrue(writes <= bound, writes + " writes to " + tier + ", " + context);
            });
            worstWrites = Math.max(worstWrites, run.writes().size());
        }
        assertTrue(worstWrites > 3, "the simulation reached hops: " + worstWrites);
    }

    /**
     * Many retries sharing the tiers' partitions, so that a head holds back the records behind it: the consumer looks
     * at every head each step; still never early, late by at most the slack plus the consumer's delays (the step), at
     * most 3 writes per tier, and every retry handed over once.
     */
    @Test
    void retriesSharingPartitionsAreNeverEarlyAndBoundedlyLate() {
        long step = 50;
        for (long seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            Map<Tier, ArrayDeque<Queued>> partitions = new EnumMap<>(Tier.class);
            for (Tier tier : Tier.values()) {
                partitions.put(tier, new ArrayDeque<>());
            }
            int written = 0;
            int handed = 0;
            long end = 30 * MINUTE;
            for (long now = 0; now < end || handed < written; now += step) {
                assertTrue(now < 2 * end + HOUR, "seed " + seed + ": retries never handed over");
                if (now < end && random.nextInt(4) == 0) {
                    long delay = (long) Math.exp(random.nextDouble() * Math.log(20 * MINUTE));
                    Tier tier = RetryTiers.tierToWrite(delay);
                    append(partitions.get(tier), now + random.nextInt((int) step), now + delay,
                            new EnumMap<>(Map.of(tier, 1)));
                    written++;
                }
                for (Tier tier : Tier.values()) {
                    ArrayDeque<Queued> partition = partitions.get(tier);
                    while (!partition.isEmpty() && partition.peekFirst().appendMillis() <= now) {
                        Queued head = partition.peekFirst();
                        Decision decision = RetryTiers.decide(head.appendMillis(), tier, head.dueMillis(), now);
                        String context = "seed " + seed + " at " + now + ": " + head;
                        if (decision instanceof Decision.Wait) {
                            break;
                        }
                        partition.removeFirst();
                        if (decision instanceof Decision.Due) {
                            handed++;
                            assertTrue(now >= head.dueMillis(), "early, " + context);
                            assertTrue(now - head.dueMillis() <= RetryTiers.SLACK_MILLIS + 2 * step,
                                    "late by " + (now - head.dueMillis()) + ", " + context);
                        } else {
                            Tier to = ((Decision.Hop) decision).tier();
                            assertTrue(to.compareTo(tier) <= 0, "a tier up, " + context);
                            Map<Tier, Integer> writes = new EnumMap<>(head.writes());
                            writes.merge(to, 1, Integer::sum);
                            assertTrue(writes.get(to) <= 3, "a 4th write to " + to + ", " + context);
                            append(partitions.get(to), now + random.nextInt((int) step), head.dueMillis(), writes);
                        }
                    }
                }
            }
            assertTrue(written > 1_000, "seed " + seed + ": " + written);
        }
    }

    /** A record in a tier's partition, and the writes of its retry so far per tier. */
    private record Queued(long appendMillis, long dueMillis, Map<Tier, Integer> writes) {
    }

    /** Appends as the broker does: append times never go back within a partition. */
    private static void append(ArrayDeque<Queued> partition, long appendMillis, long dueMillis,
                               Map<Tier, Integer> writes) {
        long after = partition.isEmpty() ? appendMillis : Math.max(appendMillis, partition.peekLast().appendMillis());
        partition.addLast(new Queued(after, dueMillis, writes));
    }

    /** What became of one retry: the tiers it was written to, and how late after its due time it was handed over. */
    private record Run(List<Tier> writes, long lateMillis) {
    }

    /**
     * One retry alone in its tiers, written at time 0 with {@code delay}; the consumer looks at a head a random time up
     * to {@code lookDelay} after it may act on it, and a write is appended {@code writeMillis} after it is sent. The
     * broker's clock is the simulation's.
     */
    private static Run simulate(long delay, long lookDelay, long writeMillis, Random random) {
        List<Tier> writes = new ArrayList<>();
        Tier tier = RetryTiers.tierToWrite(delay);
        writes.add(tier);
        long append = writeMillis;
        long due = append + delay; // the first append time plus the delay: the broker's clock
        long now = append + jitter(lookDelay, random);
        for (int looks = 0; looks < 1_000; looks++) {
            Decision decision = RetryTiers.decide(append, tier, due, now);
            if (decision instanceof Decision.Due) {
                return new Run(writes, now - due);
            } else if (decision instanceof Decision.Wait wait) {
                assertTrue(wait.untilMillis() > now, "a wait that does not wait: " + wait);
                now = wait.untilMillis() + jitter(lookDelay, random);
            } else {
                Decision.Hop hop = (Decision.Hop) decision;
                assertEquals(due - now, hop.remainingMillis());
                tier = hop.tier();
                writes.add(tier);
                append = now + writeMillis;
                now = append + jitter(lookDelay, random);
            }
        }
        throw new AssertionError("no decision after 1,000 looks: " + writes);
    }

    private static long jitter(long bound, Random random) {
        return bound == 0 ? 0 : (long) (random.nextDouble() * bound);
    }
}
