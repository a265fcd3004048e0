package io.hexbus.redis;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, per event name, the entries a worker acknowledged because no subscription of this application
 * handles their name (another application on the bus may own them), and logs the first entry of each name.
 * Memory is bounded: at most {@link #MAX_NAMES} names are told apart, later ones are counted together under
 * {@link #OTHER_NAMES}; first sightings are logged at a bounded rate, so a producer writing ever new names
 * cannot flood the log either. Thread-safe.
 */
final class UnhandledEvents {

    /** How many distinct names are counted apart. */
    static final int MAX_NAMES = 1_000;
    /** The name the entries beyond {@link #MAX_NAMES} distinct names are counted under. */
    static final String OTHER_NAMES = "(other names)";

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final BoundedLog firstOfName;
    private final String consumer;

    UnhandledEvents(Logger log, Duration logInterval, String consumer) {
        this.firstOfName = new BoundedLog(log, logInterval);
        this.consumer = consumer;
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
            if (first[0] && countedAs.equals(name)) {
                firstOfName.info("Worker {}: events named '{}' have no subscription in this application; they are"
                        + " acknowledged and counted as unhandled (another application may own them)", consumer, name);
            } else if (first[0]) {
                firstOfName.info("Worker {}: more than {} distinct event names without a subscription here; more are"
                        + " counted together as '{}'", consumer, MAX_NAMES, OTHER_NAMES);
            }
        }
        count.increment();
        return countedAs;
    }

    /** @return the counts so far, by name, sorted; a snapshot */
    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((name, count) -> copy.put(name, count.sum()));
        return copy;
    }
}
