package io.hexbus.rabbitmq;

import io.hexbus.engine.stats.SubscriptionCounts;

import java.util.Map;
import java.util.Objects;

/**
 * What one worker appends to its group's stats stream on each
 * {@link io.hexbus.engine.backend.QueueBackend#reportActivity} ({@link StatsStream}): its cumulative counts per
 * subscription since it started under its name, and the handler durations of its own runs over the engine's window.
 * As with {@link StatsReport}, the worker's latest record supersedes its earlier ones, so the counts only grow within
 * a run, and a name is unique per run of a worker: that is what lets the engine's deltas be added exactly once (a
 * report sent again after a failure carries the same cumulative counts). Immutable.
 *
 * @param worker          the worker's name: not empty
 * @param counts          per subscription, the cumulative counts of this worker's run
 * @param windows         per subscription with runs in the window, its durations as
 *                        {@link io.hexbus.engine.stats.DurationWindow#encode()} wrote them; they lapse
 *                        {@link io.hexbus.engine.stats.SubscriptionActivity#LAPSE} after {@code writtenAtMillis}
 * @param writtenAtMillis when it was written, epoch ms on the worker's clock
 * @param withWindows     whether it carries the worker's windows: a record without leaves the worker's previous
 *                        windows standing (and lapsing from when they were written), so that a worker writes its
 *                        windows, the bulk of a record, only every few seconds; {@code windows} is then empty
 */
record StatsActivity(String worker, Map<String, SubscriptionCounts> counts, Map<String, String> windows,
                     long writtenAtMillis, boolean withWindows) implements StatsLog.Entry {

    /**
     * Checks and copies the components.
     *
     * @throws NullPointerException     if a part is null
     * @throws IllegalArgumentException if the worker's name is empty, a count or the time is negative, or windows
     *                                  are given in a record without windows
     */
    StatsActivity {
        Objects.requireNonNull(worker, "worker");
        if (worker.isEmpty()) {
            throw new IllegalArgumentException("a worker's name is not empty");
        }
        counts = Map.copyOf(counts);
        windows = Map.copyOf(windows);
        counts.values().forEach(StatsActivity::checkCounts);
        StatsReport.notNegative("writtenAtMillis", writtenAtMillis);
        if (!withWindows && !windows.isEmpty()) {
            throw new IllegalArgumentException("a record without windows holds " + windows.size());
        }
    }

    static void checkCounts(SubscriptionCounts counts) {
        StatsReport.notNegative("handled", counts.handled());
        StatsReport.notNegative("failedAttempts", counts.failedAttempts());
        StatsReport.notNegative("retriesScheduled", counts.retriesScheduled());
        StatsReport.notNegative("deadLettered", counts.deadLettered());
    }
}
