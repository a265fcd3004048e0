package io.hexbus.redis;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a consumer group recorded about one entry on earlier attempts, per subscription: done, dead
 * (gave up), failed attempts, and when it may run again (Redis clock, milliseconds); and per entry its
 * takeovers and last error. Immutable view of the progress hash; the hash's field names are defined here
 * only (the scripts write {@code due:} and {@code takeovers} too, see {@code reschedule-4.lua} and
 * {@code reclaim-3.lua}). {@link ProgressUpdate} writes it.
 */
final class Progress {

    static final String DONE = "done:";
    static final String DEAD = "dead:";
    static final String ATTEMPTS = "attempts:";
    static final String DUE = "due:";
    static final String TAKEOVERS = "takeovers";
    static final String ERROR = "error";

    private final Map<String, String> fields;

    /**
     * @param fields the progress hash as read from Redis, empty when there is none; not copied, so it must
     *               not change afterwards
     */
    Progress(Map<String, String> fields) {
        this.fields = fields;
    }

    boolean isDone(String subscription) {
        return fields.containsKey(DONE + subscription);
    }

    boolean isDead(String subscription) {
        return fields.containsKey(DEAD + subscription);
    }

    int attempts(String subscription) {
        return Integer.parseInt(fields.getOrDefault(ATTEMPTS + subscription, "0"));
    }

    /** The Redis time before which the subscription must not run again, or 0. */
    long dueAt(String subscription) {
        return Long.parseLong(fields.getOrDefault(DUE + subscription, "0"));
    }

    /** @return the subscriptions that gave up, as a new mutable set */
    Set<String> dead() {
        Set<String> dead = new HashSet<>();
        fields.keySet().stream().filter(f -> f.startsWith(DEAD)).forEach(f -> dead.add(f.substring(DEAD.length())));
        return dead;
    }

    /** How many times the entry was taken over from a worker that stopped renewing its lease. */
    int takeovers() {
        return Integer.parseInt(fields.getOrDefault(TAKEOVERS, "0"));
    }

    /** The last recorded failure, or "" when none was recorded. */
    String lastError() {
        return fields.getOrDefault(ERROR, "");
    }
}
