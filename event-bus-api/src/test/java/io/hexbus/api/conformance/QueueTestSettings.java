package io.hexbus.api.conformance;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of a queued transport that {@link QueuedTransportContract} turns, in words every queued transport has;
 * a {@link QueuedTransportUnderTest} maps them onto its own settings and keeps the rest fast for tests (a short
 * poll of due retries, say). Immutable.
 *
 * @param leaseTimeout     how long an event stays with a worker that stopped renewing its lease before another
 *                         takes it over (Redis: the visibility timeout)
 * @param shutdownDeadline how long a closing worker lets its in-flight handlers finish before it interrupts them
 *                         and leaves their events for another worker
 * @param concurrency      how many handlers one worker runs at once
 */
public record QueueTestSettings(Duration leaseTimeout, Duration shutdownDeadline, int concurrency) {

    /** What a test gets unless it says otherwise: a 30 s lease, a 5 s shutdown deadline, 4 handler slots. */
    public static final QueueTestSettings DEFAULTS = new QueueTestSettings(Duration.ofSeconds(30),
            Duration.ofSeconds(5), 4);

    /**
     * Checks the values.
     *
     * @param leaseTimeout     positive
     * @param shutdownDeadline positive
     * @param concurrency      1 or more
     */
    public QueueTestSettings {
        Objects.requireNonNull(leaseTimeout, "leaseTimeout");
        Objects.requireNonNull(shutdownDeadline, "shutdownDeadline");
        if (leaseTimeout.isNegative() || leaseTimeout.isZero() || shutdownDeadline.isNegative()
                || shutdownDeadline.isZero() || concurrency < 1) {
            throw new IllegalArgumentException("durations must be positive and concurrency at least 1: " + leaseTimeout
                    + ", " + shutdownDeadline + ", " + concurrency);
        }
    }

    /**
     * @param value the lease timeout
     * @return a copy with it
     */
    public QueueTestSettings withLeaseTimeout(Duration value) {
        return new QueueTestSettings(value, shutdownDeadline, concurrency);
    }

    /**
     * @param value the shutdown deadline
     * @return a copy with it
     */
    public QueueTestSettings withShutdownDeadline(Duration value) {
        return new QueueTestSettings(leaseTimeout, value, concurrency);
    }

    /**
     * @param value the handler slots of one worker
     * @return a copy with it
     */
    public QueueTestSettings withConcurrency(int value) {
        return new QueueTestSettings(leaseTimeout, shutdownDeadline, value);
    }
}
