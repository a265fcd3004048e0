package io.hexbus.engine.worker;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Counts, per event name, the entries a worker acknowledged because no subscription of this application
 * handles their name (another application on the bus may own them), and logs the first entry of each name.
 * Memory is bounded: at most {@link #MAX_NAMES} names are told apart, later ones are counted together under
 * {@link #OTHER_NAMES}. First sightings are logged at a bounded rate, so a producer writing ever new names cannot
 * flood the log either: at most one line per interval, naming every name first seen since the last line (up to
 * {@link #MAX_LISTED}, then how many more); a name first seen while the line is held back is named in the next
 * one, written once the interval has passed, at the next unhandled entry or {@link #logIfDue()}. Thread-safe.
 */
final class UnhandledEvents {

    /** How many distinct names are counted apart. */
    static final int MAX_NAMES = 1_000;
    /** The name the entries beyond {@link #MAX_NAMES} distinct names are counted under. */
    static final String OTHER_NAMES = "(other names)";
    /** How many new names one log line lists. */
    static final int MAX_LISTED = 20;

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Consumer<String> logLine;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final String consumer;
    // Names first seen and not yet logged; guarded by this, as is lastLogged.
    private final List<String> notYetLogged = new ArrayList<>();
    private int notListed;
    private long lastLogged;
    private volatile boolean pending;

    UnhandledEvents(Logger log, Duration logInterval, String consumer) {
        this(log::info, logInterval, consumer, System::nanoTime);
    }

    /** @param logLine writes one INFO line; the names in it are valid event names, so nothing to escape */
    UnhandledEvents(Consumer<String> logLine, Duration logInterval, String consumer, LongSupplier nanoTime) {
        this.logLine = logLine;
        this.intervalNanos = logInterval.toNanos();
        this.nanoTime = nanoTime;
        this.consumer = consumer;
        this.lastLogged = nanoTime.getAsLong() - intervalNanos;
    }

    /**
     * Counts one entry.
     *
     * @param name the entry's event name, already checked against the event-name grammar
     * @return the name it was counted under: itself, or {@link #OTHER_NAMES} once the names are full
     */
    String count(String name) {
        LongAdder count = counts.get(name);
        String countedAs = name;
        if (count == null) {
            // The size check races with other threads: the bound may be passed by a few names, not more.
            countedAs = counts.size() < MAX_NAMES ? name : OTHER_NAMES;
            boolean[] first = {false};
            count = counts.computeIfAbsent(countedAs, k -> {
                first[0] = true;
                return new LongAdder();
            });
            if (first[0]) {
                firstSeen(countedAs);
            }
        }
        count.increment();
        logIfDue();
        return countedAs;
    }

    private synchronized void firstSeen(String name) {
        if (notYetLogged.size() < MAX_LISTED) {
            notYetLogged.add(name);
        } else {
            notListed++;
        }
        pending = true;
    }

    /**
     * Writes the line naming the names first seen since the last line, if there are some and the interval has
     * passed; called at each unhandled entry and by the worker's maintenance, so a held-back name is named even
     * when no other unhandled entry follows.
     */
    void logIfDue() {
        if (!pending) {
            return;
        }
        String line = takeLineIfDue();
        if (line != null) {
            logLine.accept(line); // outside the lock: job threads counting entries do not wait for the log
        }
    }

    private synchronized String takeLineIfDue() {
        long now = nanoTime.getAsLong();
        if (notYetLogged.isEmpty() || now - lastLogged < intervalNanos) {
            return null;
        }
        String names = notYetLogged.stream().map(n -> n.equals(OTHER_NAMES) ? "more than " + MAX_NAMES
                + " distinct names, the rest counted as '" + OTHER_NAMES + "'" : "'" + n + "'")
                .collect(Collectors.joining(", "));
        String line = "Worker " + consumer + ": events named " + names
                + (notListed == 0 ? "" : " and " + notListed + " more names") + " have no subscription in this"
                + " application; they are acknowledged and counted as unhandled (another application may own them)";
        notYetLogged.clear();
        notListed = 0;
        lastLogged = now;
        pending = false;
        return line;
    }

    /** @return the counts so far, by name, sorted; a snapshot */
    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((name, count) -> copy.put(name, count.sum()));
        return copy;
    }
}
