package io.hexbus.scheduling;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Scheduler} catches up, retries and stops. Immutable; change it with the withers.
 *
 * @param catchUpBound        how old a tick missed while no instance ran may be and still fire at start under
 *                            {@link io.hexbus.api.scheduling.MissedTicks#FIRE_ONCE}; default one day. Keep it
 *                            shorter than the bus's dedupe window (Redis: 7 days by default): every instance
 *                            re-publishes that tick at its start, and only the dedupe makes the repeats duplicates
 * @param retryInitialBackoff the wait before the first retry of a failed publish; default 200 ms, doubling
 * @param retryMaxBackoff     the longest wait between retries; default 30 s. Retries stop when the next tick
 *                            is due: the failed tick is then counted missed
 * @param idleWake            the longest the scheduling thread sleeps, so that a clock jump or a registration is
 *                            seen within it; default 1 s
 * @param closeTimeout        how long {@link Scheduler#close()} waits for a publish in progress; default 5 s
 */
public record SchedulerSettings(Duration catchUpBound, Duration retryInitialBackoff, Duration retryMaxBackoff,
                                Duration idleWake, Duration closeTimeout) {

    /**
     * Checks the components.
     *
     * @param catchUpBound see the record
     * @param retryInitialBackoff see the record
     * @param retryMaxBackoff see the record
     * @param idleWake see the record
     * @param closeTimeout see the record
     * @throws IllegalArgumentException if a duration is negative, or a backoff or the idle wake is zero
     */
    public SchedulerSettings {
        requireNotNegative(catchUpBound, "catchUpBound");
        requirePositive(retryInitialBackoff, "retryInitialBackoff");
        requirePositive(retryMaxBackoff, "retryMaxBackoff");
        requirePositive(idleWake, "idleWake");
        requireNotNegative(closeTimeout, "closeTimeout");
    }

    /**
     * @return the defaults: catch up one day, retry from 200 ms to 30 s, wake at least every second, close in 5 s
     */
    public static SchedulerSettings defaults() {
        return new SchedulerSettings(Duration.ofDays(1), Duration.ofMillis(200), Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    /**
     * @param value how old a missed tick may be and still fire at start
     * @return a copy with it
     */
    public SchedulerSettings withCatchUpBound(Duration value) {
        return new SchedulerSettings(value, retryInitialBackoff, retryMaxBackoff, idleWake, closeTimeout);
    }

    /**
     * Keeps the catch-up bound within half of a bus's dedupe window, so that a missed tick that every instance
     * re-publishes at its start is still a duplicate of the first publication wherever it arrives (Kafka and RabbitMQ
     * remember ids for 24 hours by default, which the one-day default would reach).
     *
     * @param dedupeWindow how long the bus the scheduler publishes to remembers an event id; positive
     * @return this, or a copy whose bound is half the window if that is shorter
     * @throws IllegalArgumentException if the window is not positive
     */
    public SchedulerSettings withinDedupeWindow(Duration dedupeWindow) {
        requirePositive(dedupeWindow, "dedupeWindow");
        Duration half = dedupeWindow.dividedBy(2);
        return catchUpBound.compareTo(half) <= 0 ? this : withCatchUpBound(half);
    }

    /**
     * @param initial the first retry's wait
     * @param max     the longest wait
     * @return a copy with them
     */
    public SchedulerSettings withRetryBackoff(Duration initial, Duration max) {
        return new SchedulerSettings(catchUpBound, initial, max, idleWake, closeTimeout);
    }

    /**
     * @param value the longest sleep of the scheduling thread
     * @return a copy with it
     */
    public SchedulerSettings withIdleWake(Duration value) {
        return new SchedulerSettings(catchUpBound, retryInitialBackoff, retryMaxBackoff, value, closeTimeout);
    }

    /**
     * @param value how long close waits for a publish in progress
     * @return a copy with it
     */
    public SchedulerSettings withCloseTimeout(Duration value) {
        return new SchedulerSettings(catchUpBound, retryInitialBackoff, retryMaxBackoff, idleWake, value);
    }

    private static void requireNotNegative(Duration value, String name) {
        if (Objects.requireNonNull(value, name).isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        requireNotNegative(value, name);
        if (value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
