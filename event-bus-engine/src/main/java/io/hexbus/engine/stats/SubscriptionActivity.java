package io.hexbus.engine.stats;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a worker reports about its subscriptions: the counts since its previous report, and the durations of its
 * own runs over the recent window. Immutable.
 *
 * <p>A backend adds the counts to the group's totals (they are deltas: adding them twice counts twice), and keeps
 * the windows per worker, replacing that worker's previous ones and letting them lapse when the worker stops
 * reporting; {@link SubscriptionStatsFold} folds both into what an admin answers.
 *
 * @param counts        per subscription, what was counted since the previous report; only subscriptions with
 *                      something counted
 * @param windows       per subscription, the durations of this worker's runs in the window; subscriptions with a
 *                      run in it
 * @param windowLength  how far back the windows reach
 * @param sequence      the report's number within its worker's life, greater than every earlier report's (not
 *                      always by one). A report whose storing failed is sent again as it was, with its number,
 *                      before any later one: a backend that adds deltas applies each number once, so a report stored
 *                      although its call failed is not counted twice
 */
public record SubscriptionActivity(Map<String, SubscriptionCounts> counts, Map<String, DurationWindow> windows,
                                   Duration windowLength, long sequence) {

    /** How far back the engine's windows reach: handler durations of the last five minutes. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** How often at least a worker reports its windows while they hold runs. */
    public static final Duration REFRESH = Duration.ofSeconds(5);
    /** How long a backend keeps a worker's windows unrenewed: then the worker is taken as gone. */
    public static final Duration LAPSE = REFRESH.multipliedBy(3);

    /**
     * Copies the maps.
     *
     * @param counts       counts per subscription
     * @param windows      windows per subscription
     * @param windowLength how far back the windows reach
     * @param sequence     the report's number within its worker's life, 1 or more
     */
    public SubscriptionActivity {
        counts = Map.copyOf(counts);
        windows = Map.copyOf(windows);
        Objects.requireNonNull(windowLength, "windowLength");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be 1 or more, got " + sequence);
        }
    }

    /**
     * @return the same report without windows: what a closing worker sends, so that its runs leave the durations
     */
    public SubscriptionActivity withoutWindows() {
        return new SubscriptionActivity(counts, Map.of(), windowLength, sequence);
    }
}
