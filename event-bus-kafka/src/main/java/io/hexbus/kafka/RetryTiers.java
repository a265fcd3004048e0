package io.hexbus.kafka;

import java.util.List;
import java.util.Objects;

/**
 * Retries on Kafka, which has no delay: tiers of a fixed wait, one topic each ({@code <prefix>.<group>.retry.<label>},
 * with {@code message.timestamp.type=LogAppendTime}, so a record's timestamp is the broker's clock). Every record of
 * a tier waits the same time, so a partition's records come due in the order they were written and the consumer
 * looks at its head only: {@link #decide} says whether the head waits, is due, or hops to another tier.
 *
 * <p><b>Properties</b> (tested by simulation in {@code RetryTiersTest}):
 * <ul>
 *   <li>Never early: a retry is handed over only at or after its due time.</li>
 *   <li>Late by at most {@link #SLACK_MILLIS} plus the consumer's own delays (in looking at a head, in a hop's
 *       write), however many records share its partitions: a head is decided on at once when its tier's wait ends (it
 *       is due, or it hops), so no record waits behind another for longer than its own tier's wait.</li>
 *   <li>Bounded hops: a retry's tiers never go up, and it is written to each tier but the top one at most 3 times
 *       (at most 2 hops within each tier it passes, plus one hop down into the next); in the top tier, one hop per
 *       16 hours of its wait. Why 3: a tier is entered with less than its next tier's wait (at most 4 times its own)
 *       left, and each visit uses up at least its own wait. Fewer is not possible in general without being early or
 *       later than the slack: the tiers are coins of 1, 4, 16… and a wait is a sum of up to 3 of each.</li>
 * </ul>
 *
 * <p>Why the slack: a head is looked at a little after its wait ended, so what remains is a little under a round
 * figure; without slack a 2-hour retry whose 1-hour tier was read 100 ms late would go down through every tier below
 * (18 writes in all instead of 2). Tiers are chosen by {@link #tierToWrite}, the tier for the remaining wait plus the
 * slack; a head whose due time comes before the end of its tier's wait is handed over at its due time, so the slack
 * makes a retry late only when records ahead of it in its partition hold it back.
 *
 * <p>Stateless and thread-safe.
 */
final class RetryTiers {

    /**
     * How much later than its due time a retry may be handed over to save hops: the smallest tier, which is what a
     * wait under a second costs anyway.
     */
    static final long SLACK_MILLIS = 1_000;

    /** The tiers, shortest first. */
    enum Tier {
        /** 1 second. */
        S1("1s", 1_000L),
        /** 4 seconds. */
        S4("4s", 4_000L),
        /** 16 seconds. */
        S16("16s", 16_000L),
        /** 1 minute. */
        M1("1m", 60_000L),
        /** 4 minutes. */
        M4("4m", 240_000L),
        /** 16 minutes. */
        M16("16m", 960_000L),
        /** 1 hour. */
        H1("1h", 3_600_000L),
        /** 4 hours. */
        H4("4h", 14_400_000L),
        /** 16 hours. */
        H16("16h", 57_600_000L);

        private final String label;
        private final long waitMillis;

        Tier(String label, long waitMillis) {
            this.label = label;
            this.waitMillis = waitMillis;
        }

        /** @return the topic name's last part: {@code 1s}, {@code 4s} … {@code 16h} */
        String label() {
            return label;
        }

        /** @return how long each record of the tier waits from its append time, in milliseconds */
        long waitMillis() {
            return waitMillis;
        }

        /**
         * @param prefix the bus's topic prefix
         * @param group  the application's consumer group
         * @return the tier's topic: {@code <prefix>.<group>.retry.<label>}
         */
        String topic(String prefix, String group) {
            return prefix + "." + group + ".retry." + label;
        }
    }

    private static final List<Tier> TIERS = List.of(Tier.values());

    private RetryTiers() {
    }

    /**
     * @param remainingMillis how long a retry has still to wait
     * @return the largest tier whose wait is not above {@code remainingMillis}; the smallest tier for less than it
     */
    static Tier tierFor(long remainingMillis) {
        Tier found = Tier.S1;
        for (Tier tier : TIERS) {
            if (tier.waitMillis <= remainingMillis) {
                found = tier;
            }
        }
        return found;
    }

    /**
     * The tier to write a retry to, first or on a hop: {@link #tierFor} the remaining wait plus {@link #SLACK_MILLIS}.
     *
     * @param remainingMillis how long the retry has still to wait
     * @return the tier
     */
    static Tier tierToWrite(long remainingMillis) {
        boolean overflows = remainingMillis > Long.MAX_VALUE - SLACK_MILLIS;
        return tierFor(overflows ? Long.MAX_VALUE : remainingMillis + SLACK_MILLIS);
    }

    /**
     * What to do with the head record of a tier's partition.
     *
     * @param appendMillis the record's timestamp: when the broker appended it to the tier, on the broker's clock
     * @param tier         the tier the record is in
     * @param dueMillis    when the retry is due, on the broker's clock (its first append time plus its delay)
     * @param nowMillis    now, on the broker's clock as the caller knows it (never ahead of it: a hop's remaining wait
     *                     is counted from it)
     * @return {@link Decision.Due} when now is at or past its due time; {@link Decision.Wait} until the end of its
     *         tier's wait or its due time, whichever is first; else {@link Decision.Hop} to the tier for what remains
     */
    static Decision decide(long appendMillis, Tier tier, long dueMillis, long nowMillis) {
        Objects.requireNonNull(tier, "tier");
        if (nowMillis >= dueMillis) {
            return new Decision.Due();
        }
        long waitedUntil = appendMillis + tier.waitMillis;
        if (nowMillis < waitedUntil) {
            return new Decision.Wait(Math.min(waitedUntil, dueMillis));
        }
        // Hop even with under a second left (to the 1 s tier, where it is handed over at its due time): a head
        // waiting in place would hold back the records behind it, and such waits would add up along a partition.
        long remaining = dueMillis - nowMillis;
        return new Decision.Hop(tierToWrite(remaining), remaining);
    }

    /** What {@link #decide} says about a tier's head record. */
    sealed interface Decision {

        /**
         * Not yet: the tier's partition stays paused until then.
         *
         * @param untilMillis when to look again, on the broker's clock
         */
        record Wait(long untilMillis) implements Decision {
        }

        /** Due: hand it to the engine. */
        record Due() implements Decision {
        }

        /**
         * Write it again to {@code tier} and settle this record. The new record keeps the retry's due time (already on
         * the broker's clock): counting {@code remainingMillis} from its new append time instead would make it later
         * by the write's own time on every hop.
         *
         * @param tier            the tier to write it to
         * @param remainingMillis how long it has still to wait, more than 0
         */
        record Hop(Tier tier, long remainingMillis) implements Decision {

            /**
             * @param tier            the tier to write it to
             * @param remainingMillis how long it has still to wait
             * @throws NullPointerException     if {@code tier} is null
             * @throws IllegalArgumentException if {@code remainingMillis} is not positive
             */
            public Hop {
                Objects.requireNonNull(tier, "tier");
                if (remainingMillis <= 0) {
                    throw new IllegalArgumentException("a hop has time left, got " + remainingMillis);
                }
            }
        }
    }
}
