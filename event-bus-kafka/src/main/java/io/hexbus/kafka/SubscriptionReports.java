package io.hexbus.kafka;

import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.engine.stats.DurationWindow;
import io.hexbus.engine.stats.SubscriptionActivity;
import io.hexbus.engine.stats.SubscriptionCounts;
import io.hexbus.engine.stats.SubscriptionStatsFold;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscription reports of a stats topic ({@link SubscriptionReport}) folded, as compaction will leave them: the
 * latest report of each worker, a tombstone removing it, a record that does not decode removing it too (once
 * compacted it is all the topic keeps of that key). The group's totals are the sums of every worker's cumulative
 * counts, of workers gone too (their last report stays); a worker's windows count while its report is fresher than
 * {@link SubscriptionActivity#LAPSE}.
 *
 * <p>Not thread-safe: filled by one reader in offset order, then folded.
 */
final class SubscriptionReports {

    private record Latest(SubscriptionReport report, long appendedAtMillis) {
    }

    private final Map<String, Latest> latest = new HashMap<>();

    /**
     * Folds in a record of the stats topic; records of worker reports ({@link WorkerReport}) are ignored.
     *
     * @param key              the record key
     * @param value            the record value; null for a tombstone
     * @param appendedAtMillis the record's timestamp (the broker's append time)
     */
    void add(String key, String value, long appendedAtMillis) {
        if (key == null || !key.startsWith(SubscriptionReport.KEY_PREFIX)) {
            return;
        }
        if (value == null) {
            latest.remove(key);
            return;
        }
        try {
            latest.put(key, new Latest(SubscriptionReport.decode(key, value), appendedAtMillis));
        } catch (IllegalArgumentException malformed) {
            latest.remove(key);
        }
    }

    /**
     * @param nowMillis now, epoch ms (compared with the broker's append times: skew shifts the lapse)
     * @return per subscription, the group's totals and the windows of the workers still reporting, sorted by name
     */
    List<SubscriptionStats> stats(long nowMillis) {
        Map<String, SubscriptionCounts> totals = new HashMap<>();
        Map<String, List<DurationWindow>> windows = new HashMap<>();
        long lapse = SubscriptionActivity.LAPSE.toMillis();
        for (Latest each : latest.values()) {
            each.report().counts().forEach((name, counts) -> totals.merge(name, counts, SubscriptionCounts::plus));
            if (nowMillis - each.appendedAtMillis() < lapse) {
                each.report().windows().forEach((name, window) ->
                        windows.computeIfAbsent(name, n -> new ArrayList<>()).add(window));
            }
        }
        return SubscriptionStatsFold.fold(totals, windows, SubscriptionActivity.WINDOW);
    }
}
