package io.hexbus.kafka;

import io.hexbus.engine.stats.DurationWindow;
import io.hexbus.engine.stats.SubscriptionCounts;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What one worker reports of its subscriptions to its group's stats topic ({@link StatsTopic}), under the key
 * {@value #KEY_PREFIX} + its name: per subscription, its counts since the worker started (cumulative, so that a
 * report written twice, or lost and followed by the next, counts each run once), and the durations of its runs over
 * the recent window. A later report of the same worker replaces the earlier one (the topic is compacted).
 *
 * <p>The record value is text: a first line {@code 1}, the format's version; then one line per subscription,
 * {@code <name> <handled> <failedAttempts> <retriesScheduled> <deadLettered> <window>}, the name URL-encoded (UTF-8),
 * the counts decimal, the window {@link DurationWindow#encode()} or {@code -} when it holds no run.
 *
 * @param worker  the worker's name: not empty
 * @param counts  per subscription, its counts since the worker started
 * @param windows per subscription, the durations of the worker's runs in the window
 */
record SubscriptionReport(String worker, Map<String, SubscriptionCounts> counts, Map<String, DurationWindow> windows) {

    /** The start of the record key of a subscription report; worker names have no ':', so no report's key has it. */
    static final String KEY_PREFIX = "subscriptions:";

    private static final String VERSION = "1";
    private static final String NO_WINDOW = "-";
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

    /**
     * Copies the maps, sorted by subscription.
     *
     * @throws IllegalArgumentException if {@code worker} is empty or a count is negative
     */
    SubscriptionReport {
        Objects.requireNonNull(worker, "worker");
        if (worker.isEmpty()) {
            throw new IllegalArgumentException("a worker's name is not empty");
        }
        counts = Map.copyOf(counts);
        windows = Map.copyOf(windows);
        counts.forEach((name, c) -> {
            if (c.handled() < 0 || c.failedAttempts() < 0 || c.retriesScheduled() < 0 || c.deadLettered() < 0) {
                throw new IllegalArgumentException("subscription '" + name + "' has a negative count: " + c);
            }
        });
    }

    /** @return the record key: {@value #KEY_PREFIX} and the worker's name */
    String key() {
        return KEY_PREFIX + worker;
    }

    /** @return the record value, which {@link #decode} reads back */
    String encode() {
        TreeMap<String, SubscriptionCounts> names = new TreeMap<>(counts);
        windows.keySet().forEach(name -> names.putIfAbsent(name, SubscriptionCounts.ZERO));
        StringBuilder text = new StringBuilder(VERSION);
        names.forEach((name, c) -> {
            DurationWindow window = windows.get(name);
            text.append('\n').append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append(' ').append(c.handled())
                    .append(' ').append(c.failedAttempts()).append(' ').append(c.retriesScheduled()).append(' ')
                    .append(c.deadLettered()).append(' ')
                    .append(window == null || window.runs() == 0 ? NO_WINDOW : window.encode());
        });
        return text.toString();
    }

    /**
     * Reads a report back from its record.
     *
     * @param key   the record key, {@value #KEY_PREFIX} and the worker's name
     * @param value the record value
     * @return the report
     * @throws IllegalArgumentException saying what is wrong, if the key or value is not a subscription report's
     */
    static SubscriptionReport decode(String key, String value) {
        if (key == null || !key.startsWith(KEY_PREFIX) || key.length() == KEY_PREFIX.length()) {
            throw new IllegalArgumentException("a subscription report's key is '" + KEY_PREFIX + "<worker>', not '"
                    + key + "'");
        }
        String worker = key.substring(KEY_PREFIX.length());
        if (value == null) {
            throw new IllegalArgumentException("the subscription report of worker '" + worker + "' has no value");
        }
        String[] lines = value.split("\n", -1);
        if (!VERSION.equals(lines[0])) {
            throw new IllegalArgumentException("the subscription report of worker '" + worker + "' is not of version "
                    + VERSION);
        }
        Map<String, SubscriptionCounts> counts = new TreeMap<>();
        Map<String, DurationWindow> windows = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split(" ", -1);
            if (fields.length != 6) {
                throw new IllegalArgumentException("the subscription report of worker '" + worker + "' has line " + i
                        + " of " + fields.length + " fields, not 6");
            }
            String name = URLDecoder.decode(fields[0], StandardCharsets.UTF_8);
            counts.put(name, new SubscriptionCounts(number(worker, fields[1]), number(worker, fields[2]),
                    number(worker, fields[3]), number(worker, fields[4])));
            if (!NO_WINDOW.equals(fields[5])) {
                windows.put(name, DurationWindow.decode(fields[5]));
            }
        }
        return new SubscriptionReport(worker, counts, windows);
    }

    private static long number(String worker, String field) {
        if (!NUMBER.matcher(field).matches()) {
            throw new IllegalArgumentException("the subscription report of worker '" + worker + "' has '"
                    + (field.length() > 40 ? field.substring(0, 40) + "..." : field) + "' as a count");
        }
        return Long.parseLong(field);
    }
}
