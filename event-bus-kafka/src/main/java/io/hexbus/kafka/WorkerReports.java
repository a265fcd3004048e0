package io.hexbus.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The stats topic ({@link StatsTopic}) folded, as compaction will leave it: the latest record of each worker name,
 * a tombstone removing the worker. A record that does not decode ({@link WorkerReport#decode}) is counted in
 * {@link Totals#undecodable()} and also removes the earlier report of its key: once compacted, it is all the topic
 * keeps of that key, so the totals do not change when the log cleaner runs.
 *
 * <p>Not thread-safe: filled by one reader in offset order, then summed.
 */
final class WorkerReports {

    /**
     * The sums over the reports of a group.
     *
     * @param completed      summed over every worker reported
     * @param failedAttempts summed over every worker reported
     * @param deadLettered   summed over every worker reported: events dead-lettered, not those there now
     * @param takeovers      summed over every worker reported
     * @param unhandled      summed over every worker reported
     * @param active         over fresh reports only: handlers running, at most the records held
     * @param reserved       over fresh reports only: records held, not running and not settling
     * @param settling       over fresh reports only: records held whose settle is under way (counted off the lag,
     *                       neither active nor reserved)
     * @param workers        how many workers have a report
     * @param fresh          how many of them are fresh
     * @param undecodable    how many records read did not decode (and were skipped)
     */
    record Totals(long completed, long failedAttempts, long deadLettered, long takeovers, long unhandled, long active,
                  long reserved, long settling, int workers, int fresh, long undecodable) {

        /**
         * Totals with nothing settling.
         *
         * @param completed      summed over every worker reported
         * @param failedAttempts summed over every worker reported
         * @param deadLettered   summed over every worker reported
         * @param takeovers      summed over every worker reported
         * @param unhandled      summed over every worker reported
         * @param active         over fresh reports only
         * @param reserved       over fresh reports only
         * @param workers        how many workers have a report
         * @param fresh          how many of them are fresh
         * @param undecodable    how many records read did not decode
         */
        Totals(long completed, long failedAttempts, long deadLettered, long takeovers, long unhandled, long active,
               long reserved, int workers, int fresh, long undecodable) {
            this(completed, failedAttempts, deadLettered, takeovers, unhandled, active, reserved, 0, workers, fresh,
                    undecodable);
        }
    }

    private final Map<String, WorkerReport> latest = new HashMap<>();
    private long undecodable;

    /**
     * Folds in the next record of the topic, in offset order within its partition (a worker's records are all in
     * one partition: they have one key).
     *
     * @param key   the record key
     * @param value the record value; null for a tombstone
     */
    void add(String key, String value) {
        if (key != null && key.startsWith(SubscriptionReport.KEY_PREFIX)) {
            return; // a worker's subscription report, folded by SubscriptionReports
        }
        if (value == null && key != null) {
            latest.remove(key);
            return;
        }
        try {
            WorkerReport report = WorkerReport.decode(key, value);
            latest.put(report.worker(), report);
        } catch (IllegalArgumentException malformed) {
            undecodable++;
            if (key != null) {
                latest.remove(key);
            }
        }
    }

    /**
     * Sums the reports folded so far. A report is fresh when written less than {@code staleness} before
     * {@code nowMillis}; one written after it (the worker's clock is ahead) is fresh too.
     *
     * @param nowMillis now, epoch ms, on the reader's clock (compared with the workers' clocks: skew between them
     *                  shifts the bound)
     * @param staleness how old a report may be for its running and held counts to count; positive
     * @return the totals; a sum beyond {@link Long#MAX_VALUE} stays at it
     */
    Totals totals(long nowMillis, Duration staleness) {
        Objects.requireNonNull(staleness, "staleness");
        if (staleness.isZero() || staleness.isNegative()) {
            throw new IllegalArgumentException("staleness must be positive, got " + staleness);
        }
        long stalenessMillis = staleness.toMillis();
        long completed = 0;
        long failedAttempts = 0;
        long deadLettered = 0;
        long takeovers = 0;
        long unhandled = 0;
        long active = 0;
        long reserved = 0;
        long settling = 0;
        int fresh = 0;
        for (WorkerReport report : latest.values()) {
            completed = add(completed, report.completed());
            failedAttempts = add(failedAttempts, report.failedAttempts());
            deadLettered = add(deadLettered, report.deadLettered());
            takeovers = add(takeovers, report.takeovers());
            unhandled = add(unhandled, report.unhandled());
            if (nowMillis - report.writtenAtMillis() < stalenessMillis) {
                fresh++;
                // Running and held are counted at different moments by the worker: never more running than held.
                long notSettling = report.held() - report.settling();
                long running = Math.min(report.running(), notSettling);
                active = add(active, running);
                reserved = add(reserved, notSettling - running);
                settling = add(settling, report.settling());
            }
        }
        return new Totals(completed, failedAttempts, deadLettered, takeovers, unhandled, active, reserved, settling,
                latest.size(), fresh, undecodable);
    }

    private static long add(long sum, long value) {
        long total = sum + value;
        return total < sum ? Long.MAX_VALUE : total; // both are 0 or more: a wrap shows as a smaller sum
    }
}
