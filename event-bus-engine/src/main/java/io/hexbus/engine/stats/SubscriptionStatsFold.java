package io.hexbus.engine.stats;

import io.hexbus.api.admin.SubscriptionStats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Folds what a backend stored of its workers' {@link SubscriptionActivity} into an admin's answer. */
public final class SubscriptionStatsFold {

    private SubscriptionStatsFold() {
    }

    /**
     * @param totals       per subscription, the group's counts (the reported deltas added up)
     * @param windows      per subscription, the windows of the workers that still report
     * @param windowLength how far back the windows reach
     * @return one entry per subscription named in either map, sorted by name
     */
    public static List<SubscriptionStats> fold(Map<String, SubscriptionCounts> totals,
                                               Map<String, ? extends Collection<DurationWindow>> windows,
                                               Duration windowLength) {
        TreeSet<String> names = new TreeSet<>(totals.keySet());
        names.addAll(windows.keySet());
        List<SubscriptionStats> stats = new ArrayList<>(names.size());
        for (String name : names) {
            SubscriptionCounts counts = totals.getOrDefault(name, SubscriptionCounts.ZERO);
            DurationWindow window = DurationWindow.empty();
            for (DurationWindow each : windows.containsKey(name) ? windows.get(name) : List.<DurationWindow>of()) {
                window = window.merge(each);
            }
            stats.add(new SubscriptionStats(name, counts.handled(), counts.failedAttempts(), counts.retriesScheduled(),
                    counts.deadLettered(), window.toDurations(windowLength)));
        }
        return stats;
    }
}
