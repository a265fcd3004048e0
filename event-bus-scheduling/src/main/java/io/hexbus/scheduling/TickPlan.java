package io.hexbus.scheduling;

import io.hexbus.api.scheduling.MissedTicks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The scheduler's decisions, as pure functions of a schedule's ticks and the time: which tick to fire at start,
 * which is due while running, and when to retry a failed publish. No threads, no clock.
 */
public final class TickPlan {

    private TickPlan() {
    }

    /**
     * The tick to fire when a schedule starts (at the scheduler's start, or on a later registration).
     *
     * @param ticks        the schedule's ticks
     * @param now          the time
     * @param policy       the schedule's missed-tick policy
     * @param catchUpBound how old the tick may be
     * @return for {@link MissedTicks#FIRE_ONCE}, the latest tick at or before now if it is at most
     *         {@code catchUpBound} old; for {@link MissedTicks#SKIP}, empty
     */
    public static Optional<Instant> atStart(TickSource ticks, Instant now, MissedTicks policy,
                                            Duration catchUpBound) {
        if (policy == MissedTicks.SKIP) {
            return Optional.empty();
        }
        Instant oldest = now.minus(catchUpBound);
        return ticks.latestAtOrBefore(now).filter(tick -> !tick.isBefore(oldest));
    }

    /**
     * The tick due while running. When the thread woke late (a GC pause, a clock jump, a suspended host) and
     * several ticks came due, they coalesce into one firing of the latest.
     *
     * @param ticks   the schedule's ticks
     * @param nextDue the tick the schedule waits for
     * @param now     the time
     * @return the latest tick at or before now if {@code nextDue} has come; else empty
     */
    public static Optional<Instant> due(TickSource ticks, Instant nextDue, Instant now) {
        if (nextDue.isAfter(now)) {
            return Optional.empty();
        }
        return ticks.latestAtOrBefore(now).filter(tick -> !tick.isBefore(nextDue)).or(() -> Optional.of(nextDue));
    }

    /**
     * When to retry a tick whose publish failed: exponential backoff from {@code initial}, doubling to
     * {@code max}, and never once the next tick is due (that tick takes over; this one is missed).
     *
     * @param failedAt when the publish failed
     * @param failures how many attempts failed so far, at least 1
     * @param nextTick the tick after the failing one
     * @param initial  the first wait
     * @param max      the longest wait
     * @return the time to retry at, or empty to give the tick up
     */
    public static Optional<Instant> retryAt(Instant failedAt, int failures, Instant nextTick, Duration initial,
                                            Duration max) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 30);
        Duration wait = initial.multipliedBy(1L << doublings);
        if (wait.compareTo(max) > 0 || wait.isNegative()) {
            wait = max;
        }
        Instant at = failedAt.plus(wait);
        return at.isBefore(nextTick) ? Optional.of(at) : Optional.empty();
    }
}
