package io.hexbus.redis;

import io.hexbus.engine.stats.DurationWindow;
import io.hexbus.engine.stats.SubscriptionActivity;
import io.hexbus.engine.stats.SubscriptionCounts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Redis form of the workers' {@link SubscriptionActivity} reports, as {@code report-activity-4.lua} stores them:
 * the group's totals in one hash, a field per counter and subscription ({@code handled:<subscription>}, and
 * {@code failed:}, {@code retries:}, {@code dead:}); each worker's windows in one field of another hash,
 * {@code "<valid until, Redis ms>"} then {@code "\n<subscription>\n<window>"} per subscription, the window as
 * {@link DurationWindow#encode()} writes it (Base64, no line break). A subscription name holds no line break (the
 * dead letters' store relies on that too). Pure functions.
 */
final class SubscriptionActivityHash {

    static final String HANDLED = "handled:";
    static final String FAILED = "failed:";
    static final String RETRIES = "retries:";
    static final String DEAD = "dead:";

    private SubscriptionActivityHash() {
    }

    /**
     * @param counts per subscription, the deltas of a report
     * @return field and delta, in pairs, as the script takes them; a counter that did not move is left out
     */
    static List<String> countArgs(Map<String, SubscriptionCounts> counts) {
        List<String> args = new ArrayList<>();
        new TreeMap<>(counts).forEach((name, delta) -> {
            add(args, HANDLED + name, delta.handled());
            add(args, FAILED + name, delta.failedAttempts());
            add(args, RETRIES + name, delta.retriesScheduled());
            add(args, DEAD + name, delta.deadLettered());
        });
        return args;
    }

    private static void add(List<String> args, String field, long delta) {
        if (delta != 0) {
            args.add(field);
            args.add(Long.toString(delta));
        }
    }

    /**
     * @param windows per subscription, a worker's windows
     * @return them as the script stores them after the deadline; empty when there are none (the script then
     *         withdraws the worker's field)
     */
    static String windowsArg(Map<String, DurationWindow> windows) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(windows).forEach((name, window) -> {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(name).append('\n').append(window.encode());
        });
        return text.toString();
    }

    /**
     * @param hash the totals hash as read; a field or value not in the form above is ignored
     * @return per subscription, its totals
     */
    static Map<String, SubscriptionCounts> totals(Map<String, String> hash) {
        Map<String, SubscriptionCounts> totals = new HashMap<>();
        hash.forEach((field, value) -> {
            long count;
            try {
                count = Long.parseLong(value);
            } catch (NumberFormatException notOurs) {
                return;
            }
            SubscriptionCounts delta;
            String name;
            if (field.startsWith(HANDLED)) {
                name = field.substring(HANDLED.length());
                delta = new SubscriptionCounts(count, 0, 0, 0);
            } else if (field.startsWith(FAILED)) {
                name = field.substring(FAILED.length());
                delta = new SubscriptionCounts(0, count, 0, 0);
            } else if (field.startsWith(RETRIES)) {
                name = field.substring(RETRIES.length());
                delta = new SubscriptionCounts(0, 0, count, 0);
            } else if (field.startsWith(DEAD)) {
                name = field.substring(DEAD.length());
                delta = new SubscriptionCounts(0, 0, 0, count);
            } else {
                return;
            }
            totals.merge(name, delta, SubscriptionCounts::plus);
        });
        return totals;
    }

    /**
     * @param reports  the workers' fields of the windows hash
     * @param redisNow Redis's time, in ms
     * @return per subscription, the windows of the reports still valid; a malformed report or window is ignored
     */
    static Map<String, List<DurationWindow>> liveWindows(Collection<String> reports, long redisNow) {
        Map<String, List<DurationWindow>> live = new HashMap<>();
        for (String report : reports) {
            String[] lines = report.split("\n", -1);
            if (lines.length % 2 != 1 || !validAt(lines[0], redisNow)) {
                continue;
            }
            for (int i = 1; i + 1 < lines.length; i += 2) {
                try {
                    DurationWindow window = DurationWindow.decode(lines[i + 1]);
                    live.computeIfAbsent(lines[i], name -> new ArrayList<>()).add(window);
                } catch (IllegalArgumentException notAWindow) {
                    // not written by report-activity-4.lua: ignored
                }
            }
        }
        return live;
    }

    private static boolean validAt(String deadline, long redisNow) {
        try {
            return Long.parseLong(deadline) > redisNow;
        } catch (NumberFormatException malformed) {
            return false;
        }
    }
}
