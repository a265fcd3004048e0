package io.hexbus.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What was recorded about one event on its earlier rounds, for one consumer group: per subscription whether it
 * is done, whether it is dead (gave up), its failed attempts and the time before which it must not run again;
 * and for the event, how often it was taken over from a worker that stopped renewing its lease, and its last
 * error. A backend reads it from wherever its broker keeps it; a round adds to it through a
 * {@link ProgressUpdate}, which {@link #after} applies.
 *
 * <p>Immutable and thread-safe: the collections are unmodifiable copies that keep the order they were given
 * in. Equality is by value, regardless of that order.
 *
 * @param done      the subscriptions that succeeded
 * @param dead      the subscriptions that gave up (not retryable, or out of retries)
 * @param attempts  the failed attempts so far per subscription; a subscription absent here has none; never
 *                  negative
 * @param dueAt     per subscription that waits for a retry, the time before which it must not run again, in
 *                  milliseconds since the epoch on the broker's clock (not the worker's)
 * @param takeovers how often the event was taken over from a worker that stopped renewing its lease; never
 *                  negative, and not a failed attempt
 * @param lastError the event's last recorded error, or {@code ""} when none was recorded
 */
public record Progress(Set<String> done, Set<String> dead, Map<String, Integer> attempts, Map<String, Long> dueAt,
                       int takeovers, String lastError) {

    /** The progress of an event that has none recorded: its first round. */
    public static final Progress NONE = new Progress(Set.of(), Set.of(), Map.of(), Map.of(), 0, "");

    /**
     * Copies the collections.
     *
     * @param done      the subscriptions that succeeded
     * @param dead      the subscriptions that gave up
     * @param attempts  failed attempts per subscription
     * @param dueAt     broker time in milliseconds before which a subscription must not run again
     * @param takeovers how often the event was taken over
     * @param lastError the last recorded error, {@code ""} for none
     * @throws IllegalArgumentException if an attempt count or {@code takeovers} is negative
     */
    public Progress {
        done = Collections.unmodifiableSet(new LinkedHashSet<>(done));
        dead = Collections.unmodifiableSet(new LinkedHashSet<>(dead));
        attempts = Collections.unmodifiableMap(new LinkedHashMap<>(attempts));
        dueAt = Collections.unmodifiableMap(new LinkedHashMap<>(dueAt));
        Objects.requireNonNull(lastError, "lastError");
        if (takeovers < 0 || attempts.values().stream().anyMatch(count -> count < 0)) {
            throw new IllegalArgumentException("negative takeovers or attempts: " + takeovers + ", " + attempts);
        }
    }

    /**
     * @param subscription a subscription's name
     * @return whether it succeeded on an earlier round
     */
    public boolean isDone(String subscription) {
        return done.contains(subscription);
    }

    /**
     * @param subscription a subscription's name
     * @return whether it gave up on an earlier round
     */
    public boolean isDead(String subscription) {
        return dead.contains(subscription);
    }

    /**
     * @param subscription a subscription's name
     * @return its failed attempts so far, 0 when none was recorded
     */
    public int attempts(String subscription) {
        return attempts.getOrDefault(subscription, 0);
    }

    /**
     * @param subscription a subscription's name
     * @return the broker time in milliseconds before which it must not run again, or 0 when it need not wait
     */
    public long dueAt(String subscription) {
        return dueAt.getOrDefault(subscription, 0L);
    }

    /**
     * What this progress becomes once a backend has recorded {@code update} at broker time {@code nowMillis}:
     * the update's done, dead and attempt counts are added (an attempt count replaces the recorded one), each
     * delay becomes a due time from {@code nowMillis}, and its last error replaces the recorded one. Nothing is
     * removed: a backend records an update by adding to what it holds.
     *
     * @param update    what a round adds
     * @param nowMillis the broker's clock when the update is recorded, in milliseconds since the epoch
     * @return the new progress; this one is unchanged
     */
    public Progress after(ProgressUpdate update, long nowMillis) {
        Set<String> nowDone = new LinkedHashSet<>(done);
        nowDone.addAll(update.done());
        Set<String> nowDead = new LinkedHashSet<>(dead);
        nowDead.addAll(update.dead());
        Map<String, Integer> nowAttempts = new LinkedHashMap<>(attempts);
        nowAttempts.putAll(update.attempts());
        Map<String, Long> nowDue = new LinkedHashMap<>(dueAt);
        update.dueInMillis().forEach((sub, delay) -> nowDue.put(sub, nowMillis + delay));
        return new Progress(nowDone, nowDead, nowAttempts, nowDue, takeovers, update.lastError());
    }

    /**
     * What this progress becomes when a worker takes the event over from one that stopped renewing its lease.
     *
     * @return the same progress with one more takeover; this one is unchanged
     */
    public Progress takenOver() {
        return new Progress(done, dead, attempts, dueAt, takeovers + 1, lastError);
    }
}
