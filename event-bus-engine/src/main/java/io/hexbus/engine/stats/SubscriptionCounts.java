package io.hexbus.engine.stats;

/**
 * Counters of one subscription's handler runs. Immutable.
 *
 * @param handled          runs that succeeded
 * @param failedAttempts   runs that failed
 * @param retriesScheduled failed runs after which a retry was scheduled
 * @param deadLettered     events given up on
 */
public record SubscriptionCounts(long handled, long failedAttempts, long retriesScheduled, long deadLettered) {

    /** Nothing counted. */
    public static final SubscriptionCounts ZERO = new SubscriptionCounts(0, 0, 0, 0);

    /**
     * @param other other counts
     * @return the sums
     */
    public SubscriptionCounts plus(SubscriptionCounts other) {
        return new SubscriptionCounts(handled + other.handled, failedAttempts + other.failedAttempts,
                retriesScheduled + other.retriesScheduled, deadLettered + other.deadLettered);
    }

    /**
     * @param other counts already taken
     * @return the differences
     */
    public SubscriptionCounts minus(SubscriptionCounts other) {
        return new SubscriptionCounts(handled - other.handled, failedAttempts - other.failedAttempts,
                retriesScheduled - other.retriesScheduled, deadLettered - other.deadLettered);
    }

    /**
     * @return true if every counter is 0
     */
    public boolean isZero() {
        return equals(ZERO);
    }
}
