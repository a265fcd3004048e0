package io.hexbus.outbox;

import java.time.Duration;

/**
 * The wait after failures in a row: {@code min}, doubled per further failure, never more than {@code max}. A pure
 * function; the relay's sleep and a row's {@code next_attempt_at} follow the same curve.
 */
final class Backoff {

    private Backoff() {
    }

    /**
     * @param failures failures in a row, at least 1 (a lower value counts as 1)
     * @param min      the first wait
     * @param max      the longest
     * @return the wait
     */
    static Duration after(long failures, Duration min, Duration max) {
        long doublings = Math.min(Math.max(failures, 1) - 1, 40); // 2^40 × 1 ns is beyond any sensible max
        long minNanos = min.toNanos();
        long nanos = minNanos > (max.toNanos() >> doublings) ? max.toNanos() : minNanos << doublings;
        return Duration.ofNanos(Math.min(nanos, max.toNanos()));
    }
}
