package io.hexbus.api.admin;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one subscription of a consumer group did, read at one moment. Immutable.
 *
 * <p>The counters run since the group was created. Workers count them and report them every second or so, so
 * they may be that late, and a worker killed between two reports loses the counts of its last interval: they are
 * for watching, not for accounting. A round that a takeover runs again is counted again.
 *
 * @param subscription     the subscription name
 * @param handled          handler runs that succeeded
 * @param failedAttempts   handler runs that failed (an exception, a timeout)
 * @param retriesScheduled failed runs after which the event was scheduled to run again for this subscription
 * @param deadLettered     events this subscription gave up on (dead-lettered for it)
 * @param window           handler durations (successes and failures alike) over the recent window
 */
public record SubscriptionStats(String subscription, long handled, long failedAttempts, long retriesScheduled,
                                long deadLettered, Durations window) {

    /**
     * Checks the arguments.
     *
     * @param subscription     the subscription name
     * @param handled          handler runs that succeeded
     * @param failedAttempts   handler runs that failed
     * @param retriesScheduled failed runs followed by a retry
     * @param deadLettered     events given up on
     * @param window           handler durations over the recent window
     * @throws NullPointerException if a name or the window is null
     */
    public SubscriptionStats {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(window, "window");
    }

    /**
     * @return the share of handler runs that failed, from 0 to 1; 0 when none ran
     */
    public double failureRate() {
        long runs = handled + failedAttempts;
        return runs == 0 ? 0 : (double) failedAttempts / runs;
    }

    /**
     * Handler durations over a recent window, merged across the group's workers. Immutable.
     *
     * @param length how far back the window reaches
     * @param runs   how many handler runs it holds
     * @param p50    the median duration, or empty when no run is in the window
     * @param p95    the 95th percentile, or empty when no run is in the window
     * @param p99    the 99th percentile, or empty when no run is in the window
     * @param max    the longest run, or empty when no run is in the window
     */
    public record Durations(Duration length, long runs, Optional<Duration> p50, Optional<Duration> p95,
                            Optional<Duration> p99, Optional<Duration> max) {

        /**
         * Checks the arguments.
         *
         * @param length how far back the window reaches
         * @param runs   how many runs it holds
         * @param p50    the median
         * @param p95    the 95th percentile
         * @param p99    the 99th percentile
         * @param max    the longest run
         * @throws NullPointerException if any is null
         */
        public Durations {
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(p50, "p50");
            Objects.requireNonNull(p95, "p95");
            Objects.requireNonNull(p99, "p99");
            Objects.requireNonNull(max, "max");
        }

        /**
         * @param length how far back the window reaches
         * @return a window with no run in it
         */
        public static Durations none(Duration length) {
            return new Durations(length, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }
}
