package io.hexbus.redis;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a consumer group recorded about one entry on earlier attempts, per subscription: done, dead
 * (gave up), failed attempts, and when it may run again (Redis clock, milliseconds). Immutable view of the
 * progress hash.
 */
final class Progress {

    private final Map<String, String> fields;

    Progress(Map<String, String> fields) {
        this.fields = fields;
    }

    boolean isDone(String subscription) {
        return fields.containsKey("done:" + subscription);
    }

    boolean isDead(String subscription) {
        return fields.containsKey("dead:" + subscription);
    }

    int attempts(String subscription) {
        return Integer.parseInt(fields.getOrDefault("attempts:" + subscription, "0"));
    }

    /** The Redis time before which the subscription must not run again, or 0. */
    long dueAt(String subscription) {
        return Long.parseLong(fields.getOrDefault("due:" + subscription, "0"));
    }

    Set<String> dead() {
        Set<String> dead = new HashSet<>();
        fields.keySet().stream().filter(f -> f.startsWith("dead:")).forEach(f -> dead.add(f.substring(5)));
        return dead;
    }

    /** How many times the entry was taken over from a worker that stopped renewing its lease. */
    int takeovers() {
        return Integer.parseInt(fields.getOrDefault("takeovers", "0"));
    }

    String lastError() {
        return fields.getOrDefault("error", "");
    }
}
