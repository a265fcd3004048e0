package io.hexbus.api.handling;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code runs} handler runs of one subscription in any sliding window of {@code per}, counted across all
 * workers of the application on one broker: for a handler that calls an API with a rate limit of its own. Set with
 * {@link SubscriptionOptions#withRateLimit(RateLimit)}.
 *
 * <p>A queued transport that enforces it runs a handler only once it holds a permit; an event whose subscription
 * finds none is postponed (not failed, its attempts unchanged) until the window frees, while the event's other
 * subscriptions run. Transports that cannot enforce it refuse to start a worker with such a subscription; the
 * in-memory transport ignores it. Immutable and thread-safe.
 *
 * @param runs how many runs a window holds, at least 1
 * @param per  the window's length, at least 1 ms
 * @since 0.1.0
 */
public record RateLimit(int runs, Duration per) {

    /**
     * Checks the bounds.
     *
     * @param runs how many runs a window holds, at least 1
     * @param per  the window's length, at least 1 ms
     * @throws IllegalArgumentException if {@code runs} is not positive or {@code per} is shorter than 1 ms
     * @throws NullPointerException     if {@code per} is null
     */
    public RateLimit {
        Objects.requireNonNull(per, "per");
        if (runs < 1) {
            throw new IllegalArgumentException("RateLimit.runs is " + runs + ", it must be at least 1");
        }
        if (per.toMillis() < 1) {
            throw new IllegalArgumentException("RateLimit.per is " + per + ", it must be at least 1 ms");
        }
    }

    /**
     * @param runs how many runs a window holds, at least 1
     * @param per  the window's length, at least 1 ms
     * @return the limit
     * @throws IllegalArgumentException if a bound is broken
     */
    public static RateLimit of(int runs, Duration per) {
        return new RateLimit(runs, per);
    }

    @Override
    public String toString() {
        return runs + " per " + per;
    }
}
