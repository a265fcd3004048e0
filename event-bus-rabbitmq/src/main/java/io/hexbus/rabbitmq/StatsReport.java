package io.hexbus.rabbitmq;

import java.util.Objects;

/**
 * What one worker appends to its group's stats stream ({@link StatsStream}), as Kafka's worker report: its cumulative
 * counters since it started reporting under its name, and what it holds at the time written. A later report of the
 * same worker supersedes the earlier one, so the counters must only grow for the group's sums to. The name must be
 * unique per run of a worker (a restarted worker counts from 0 again): once a checkpoint absorbed a name, a later
 * report under it counts in full, as a new run's.
 *
 * @param worker          the worker's name: not empty
 * @param completed       events it finished (every subscription done)
 * @param failedAttempts  handler attempts that failed
 * @param deadLettered    events it dead-lettered (retries and removals do not lower it)
 * @param takeovers       messages it took over from another worker
 * @param unhandled       events with no subscription, acknowledged and skipped
 * @param running         handlers running at the time written
 * @param held            messages delivered to it and not yet settled at the time written, those running included
 * @param settling        of {@code held}, the messages whose settle is under way; at most {@code held}
 * @param writtenAtMillis when it was written, epoch ms on the worker's clock
 */
record StatsReport(String worker, long completed, long failedAttempts, long deadLettered, long takeovers,
                   long unhandled, long running, long held, long settling, long writtenAtMillis)
        implements StatsLog.Entry {

    /**
     * Checks the components.
     *
     * @throws NullPointerException     if {@code worker} is null
     * @throws IllegalArgumentException if {@code worker} is empty, a number is negative, or {@code settling} is more
     *                                  than {@code held}
     */
    StatsReport {
        Objects.requireNonNull(worker, "worker");
        if (worker.isEmpty()) {
            throw new IllegalArgumentException("a worker's name is not empty");
        }
        notNegative("completed", completed);
        notNegative("failedAttempts", failedAttempts);
        notNegative("deadLettered", deadLettered);
        notNegative("takeovers", takeovers);
        notNegative("unhandled", unhandled);
        notNegative("running", running);
        notNegative("held", held);
        notNegative("settling", settling);
        notNegative("writtenAtMillis", writtenAtMillis);
        if (settling > held) {
            throw new IllegalArgumentException("settling (" + settling + ") is part of held (" + held + ")");
        }
    }

    /** @return its cumulative counters */
    StatsLog.Counters counters() {
        return new StatsLog.Counters(completed, failedAttempts, deadLettered, takeovers, unhandled);
    }

    static void notNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more, got " + value);
        }
    }
}
