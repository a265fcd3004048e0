package io.hexbus.api.handling;

import java.time.Duration;
import java.util.Objects;

/**
 * How one subscription is run: its retry policy and its handler timeout. Immutable and thread-safe.
 *
 * <p>Transports that cannot enforce one of these (the in-memory transport runs handlers in the
 * publisher's thread, without retries or a timeout) document what they ignore.
 *
 * @param retryPolicy how failures are retried
 * @param timeout     how long one attempt may run before it counts as failed; positive
 */
public record SubscriptionOptions(RetryPolicy retryPolicy, Duration timeout) {

    /** The default handler timeout: 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** {@link RetryPolicy#DEFAULT} and a 30-second timeout. */
    public static final SubscriptionOptions DEFAULT = new SubscriptionOptions(RetryPolicy.DEFAULT, DEFAULT_TIMEOUT);

    /**
     * Checks the components.
     *
     * @param retryPolicy how failures are retried
     * @param timeout how long one attempt may run before it counts as failed; positive
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
        return new SubscriptionOptions(policy, timeout);
    }

    /**
     * @param value the handler timeout
     * @return a copy with that timeout
     */
    public SubscriptionOptions withTimeout(Duration value) {
        return new SubscriptionOptions(retryPolicy, value);
    }
}
