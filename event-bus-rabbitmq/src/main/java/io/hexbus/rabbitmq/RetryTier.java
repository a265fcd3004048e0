package io.hexbus.rabbitmq;

import java.util.List;

/**
 * The retry tiers: one quorum queue each ({@link RabbitNames#retryQueue}), with a message TTL of the tier's wait,
 * dead-lettering into the due queue when it expires. RabbitMQ expires a quorum queue's messages at its head only, so
 * each tier holds messages of one wait, which expire in the order written. A retry is written to the longest tier
 * not past what it has left to wait ({@link #forRemaining}); back from it with time left, it is written again (a
 * hop). The wait is measured by the broker's TTLs alone, so a worker's clock never makes a retry early or late.
 *
 * <p>Never early; late by less than the shortest tier (1 s) plus the hops' own delays; at most 3 writes per tier a
 * retry passes (a tier is entered with less than 4 of its waits left).
 */
public enum RetryTier {
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

    private static final List<RetryTier> ALL = List.of(values());

    private final String label;
    private final long waitMillis;

    RetryTier(String label, long waitMillis) {
        this.label = label;
        this.waitMillis = waitMillis;
    }

    /** @return the queue name's last part: {@code 1s}, {@code 4s} … {@code 16h} */
    public String label() {
        return label;
    }

    /** @return how long each message of the tier waits, in milliseconds: the queue's {@code x-message-ttl} */
    public long waitMillis() {
        return waitMillis;
    }

    /**
     * @param label a tier's label, as {@link #label()} gives it
     * @return that tier, or null when none has it
     */
    public static RetryTier byLabel(String label) {
        for (RetryTier tier : ALL) {
            if (tier.label.equals(label)) {
                return tier;
            }
        }
        return null;
    }

    /**
     * @param remainingMillis how long a retry has still to wait, positive
     * @return the longest tier whose wait is not above it; the shortest for less than a second
     */
    public static RetryTier forRemaining(long remainingMillis) {
        RetryTier found = S1;
        for (RetryTier tier : ALL) {
            if (tier.waitMillis <= remainingMillis) {
                found = tier;
            }
        }
        return found;
    }
}
