package io.hexbus.api.handling;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how late a failed subscription is retried by transports that retry.
 *
 * <p>Retry {@code n} (1-based) waits {@code initialBackoff × multiplier^(n-1)}, capped at {@code maxBackoff},
 * then spread by ±{@code jitter} (a fraction; 0 disables it) so that many failures do not retry in step.
 * {@link #DEFAULT} is 3 retries after the first attempt, waiting 2 s, 4 s, 8 s, without jitter.
 * Immutable and thread-safe.
 *
 * @param maxRetries     retries after the first attempt, 0 or more
 * @param initialBackoff the wait before the first retry, not negative
 * @param multiplier     the growth of each following wait, at least 1
 * @param maxBackoff     the longest wait, at least {@code initialBackoff}
 * @param jitter         the random spread as a fraction of the wait, from 0 to 1
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, double multiplier, Duration maxBackoff,
                          double jitter) {

    /** 3 retries, 2 s, 4 s, 8 s, no jitter. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(5), 0);

    /** No retry: the first failure is final. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, 1.0, Duration.ZERO, 0);

    /**
     * Checks the bounds of every component.
     *
     * @param maxRetries retries after the first attempt, 0 or more
     * @param initialBackoff the wait before the first retry, not negative
     * @param multiplier the growth of each following wait, at least 1
     * @param maxBackoff the longest wait, at least {@code initialBackoff}
     * @param jitter the random spread as a fraction of the wait, from 0 to 1
     * @throws IllegalArgumentException naming the component out of bounds
     */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("RetryPolicy.maxRetries is " + maxRetries + ", it must be 0 or more");
        }
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("RetryPolicy.initialBackoff is negative: " + initialBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("RetryPolicy.multiplier is " + multiplier + ", it must be at least 1");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("RetryPolicy.maxBackoff " + maxBackoff
                    + " is shorter than initialBackoff " + initialBackoff);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("RetryPolicy.jitter is " + jitter + ", it must be from 0 to 1");
        }
    }

    /**
     * Exponential backoff without jitter.
     *
     * @param maxRetries     retries after the first attempt
     * @param initialBackoff the wait before the first retry; each next wait doubles, up to 5 minutes or
     *                       {@code initialBackoff} if longer
     * @return the policy
     */
    public static RetryPolicy exponential(int maxRetries, Duration initialBackoff) {
        Duration cap = initialBackoff.compareTo(DEFAULT.maxBackoff) > 0 ? initialBackoff : DEFAULT.maxBackoff;
        return new RetryPolicy(maxRetries, initialBackoff, 2.0, cap, 0);
    }

    /**
     * @param fraction the random spread, from 0 to 1
     * @return a copy with that jitter
     */
    public RetryPolicy withJitter(double fraction) {
        return new RetryPolicy(maxRetries, initialBackoff, multiplier, maxBackoff, fraction);
    }

    /**
     * Whether another attempt follows after {@code failedAttempts} failed ones.
     *
     * @param failedAttempts attempts that failed so far, counting the first
     * @return true while retries are left
     */
    public boolean allowsRetryAfter(int failedAttempts) {
        return failedAttempts <= maxRetries;
    }

    /**
     * The wait before a retry, without jitter.
     *
     * @param retry the retry number, from 1
     * @return the wait; never negative
     */
    public Duration backoffBefore(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry numbers start at 1, got " + retry);
        }
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, retry - 1);
        return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
    }

    /**
     * The wait before a retry, spread by the jitter.
     *
     * @param retry  the retry number, from 1
     * @param random a uniform random number in [0, 1), for example {@code ThreadLocalRandom.current().nextDouble()}
     * @return the wait; never negative
     */
    public Duration backoffBefore(int retry, double random) {
        long base = backoffBefore(retry).toMillis();
        return Duration.ofMillis(Math.max(0, Math.round(base * (1 + jitter * (2 * random - 1)))));
    }
}
