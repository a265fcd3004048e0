package io.hexbus.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a rescheduled round adds to an event's {@link Progress}: the subscriptions that succeeded in it, and
 * for each one that failed its new attempt count and either its retry delay or that it gave up (dead); plus
 * the event's last error. A backend records it by adding it to the progress it holds, turning each delay into
 * a due time on its own clock, as {@link Progress#after} describes.
 *
 * <p>Immutable and thread-safe; the collections keep the order they were given in. Every dead or due
 * subscription has an attempt count.
 *
 * @param done        subscriptions that succeeded in this round
 * @param attempts    failed attempts so far, per subscription that failed in this round (or, when the event waits
 *                    for a newer reader, per subscription that waits, unchanged; and per subscription postponed by
 *                    its rate limit, unchanged), in the order they ran
 * @param dueInMillis per subscription to retry (or postponed by its rate limit), the delay before it may run
 *                    again, counted from the broker's clock when the update is recorded
 * @param dead        subscriptions that gave up in this round
 * @param lastError   the event's last error: this round's last failure, or the one recorded before
 */
public record ProgressUpdate(List<String> done, Map<String, Integer> attempts, Map<String, Long> dueInMillis,
                             Set<String> dead, String lastError) {

    /**
     * Copies the collections and checks that every dead or due subscription has an attempt count.
     *
     * @param done        subscriptions that succeeded
     * @param attempts    failed attempts per subscription
     * @param dueInMillis retry delays per subscription
     * @param dead        subscriptions that gave up
     * @param lastError   the event's last error
     * @throws IllegalArgumentException if a dead or due subscription has no attempt count
     */
    public ProgressUpdate {
        done = List.copyOf(done);
        attempts = Collections.unmodifiableMap(new LinkedHashMap<>(attempts));
        dueInMillis = Collections.unmodifiableMap(new LinkedHashMap<>(dueInMillis));
        dead = Collections.unmodifiableSet(new LinkedHashSet<>(dead));
        Objects.requireNonNull(lastError, "lastError");
        if (!attempts.keySet().containsAll(dead) || !attempts.keySet().containsAll(dueInMillis.keySet())) {
            throw new IllegalArgumentException("a dead or due subscription without attempts: " + dead + ", "
                    + dueInMillis.keySet() + " not in " + attempts.keySet());
        }
    }
}
