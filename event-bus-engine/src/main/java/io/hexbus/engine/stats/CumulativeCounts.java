package io.hexbus.engine.stats;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One worker's counts per subscription since it started, for a backend that stores absolute values per worker
 * instead of adding deltas: writing the same totals twice then counts nothing twice, whether a write that failed had
 * landed or not. The totals grow only once their write succeeded, and the engine sends the deltas of a failed
 * report again with the next one, so each delta is in exactly one successful write.
 *
 * <p>Thread-safe: reports are serialised, the write included.
 */
public final class CumulativeCounts {

    private final Map<String, SubscriptionCounts> written = new HashMap<>();

    /**
     * Writes this worker's totals with the activity's counts added, and keeps them once written.
     *
     * @param activity what the worker reports
     * @param write    stores the totals (per subscription, since the worker started); throws if it cannot
     */
    public synchronized void report(SubscriptionActivity activity, Consumer<Map<String, SubscriptionCounts>> write) {
        Map<String, SubscriptionCounts> next = new HashMap<>(written);
        activity.counts().forEach((name, counts) -> next.merge(name, counts, SubscriptionCounts::plus));
        write.accept(Map.copyOf(next));
        written.putAll(next);
    }
}
