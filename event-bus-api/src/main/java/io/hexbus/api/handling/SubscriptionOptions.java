package io.hexbus.api.handling;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one subscription is run: its retry policy, its handler timeout and its rate limit. Immutable and
 * thread-safe.
 *
 * <p>Transports that cannot enforce one of these document what they ignore or refuse: the in-memory transport runs
 * handlers in the publisher's thread, without retries, a timeout or a rate limit; a queued transport that cannot
 * enforce a rate limit (Kafka, RabbitMQ) refuses to start a worker with a rate-limited subscription.
 *
 * @param retryPolicy how failures are retried
 * @param timeout     how long one attempt may run before it counts as failed; positive
 * @param rateLimit   at most how many handler runs per window, across the application's workers; null when
 *                    unlimited ({@link #rateLimited()} reads it as an {@link Optional})
 */
public record SubscriptionOptions(RetryPolicy retryPolicy, Duration timeout, RateLimit rateLimit) {

    /** The default handler timeout: 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** {@link RetryPolicy#DEFAULT}, a 30-second timeout and no rate limit. */
    public static final SubscriptionOptions DEFAULT = new SubscriptionOptions(RetryPolicy.DEFAULT, DEFAULT_TIMEOUT,
            null);

    /**
     * Checks the components.
     *
     * @param retryPolicy how failures are retried
     * @param timeout how long one attempt may run before it counts as failed; positive
     * @param rateLimit the rate limit, or null for none
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public SubscriptionOptions {
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("SubscriptionOptions.timeout must be positive, got " + timeout);
        }
    }

    /**
     * @param policy the retry policy
     * @return a copy with that policy
     */
    public SubscriptionOptions withRetryPolicy(RetryPolicy policy) {
        return new SubscriptionOptions(policy, timeout, rateLimit);
    }

    /**
     * @param value the handler timeout
     * @return a copy with that timeout
     */
    public SubscriptionOptions withTimeout(Duration value) {
        return new SubscriptionOptions(retryPolicy, value, rateLimit);
    }

    /**
     * @param limit the rate limit, or null to remove it
     * @return a copy with that rate limit
     * @since 0.1.0
     */
    public SubscriptionOptions withRateLimit(RateLimit limit) {
        return new SubscriptionOptions(retryPolicy, timeout, limit);
    }

    /**
     * @return the rate limit, or empty when the subscription is unlimited
     * @since 0.1.0
     */
    public Optional<RateLimit> rateLimited() {
        return Optional.ofNullable(rateLimit);
    }
}
