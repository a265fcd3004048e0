package io.hexbus.redis;

import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressUpdate;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The Redis form of an entry's {@link Progress}: one hash per entry and consumer group
 * ({@code P:g:<group>:progress:<tag>|<entryId>}). Its field names are defined here and in the scripts only:
 * {@code reschedule-4.lua} writes what {@link #fields} gives it (turning each {@code due:} delay into a time on
 * the Redis clock) and {@code reclaim-3.lua} counts {@code takeovers}. The scripts also keep
 * {@code firstFailedAt} and {@code lastFailedAt} there for the dead letter; they are not progress, and
 * {@link #read} ignores them.
 */
final class ProgressHash {

    static final String DONE = "done:";
    static final String DEAD = "dead:";
    static final String ATTEMPTS = "attempts:";
    static final String DUE = "due:";
    static final String TAKEOVERS = "takeovers";
    static final String ERROR = "error";

    private ProgressHash() {
    }

    /**
     * @param hash the progress hash as read from Redis, empty when there is none
     * @return the progress it records; a subscription's sets and maps keep the hash's order
     * @throws NumberFormatException if a count or a time is not a number
     */
    static Progress read(Map<String, String> hash) {
        if (hash.isEmpty()) {
            return Progress.NONE;
        }
        Set<String> done = new LinkedHashSet<>();
        Set<String> dead = new LinkedHashSet<>();
        Map<String, Integer> attempts = new LinkedHashMap<>();
        Map<String, Long> due = new LinkedHashMap<>();
        hash.forEach((field, value) -> {
            if (field.startsWith(DONE)) {
                done.add(field.substring(DONE.length()));
            } else if (field.startsWith(DEAD)) {
                dead.add(field.substring(DEAD.length()));
            } else if (field.startsWith(ATTEMPTS)) {
                attempts.put(field.substring(ATTEMPTS.length()), Integer.parseInt(value));
            } else if (field.startsWith(DUE)) {
                due.put(field.substring(DUE.length()), Long.parseLong(value));
            }
        });
        return new Progress(done, dead, attempts, due, Integer.parseInt(hash.getOrDefault(TAKEOVERS, "0")),
                hash.getOrDefault(ERROR, ""));
    }

    /**
     * An update as progress-hash fields, in the form {@code reschedule-4.lua} takes: a {@code due:} value is a
     * delay the script turns into a time on the Redis clock.
     *
     * @param update what a round adds
     * @return field names and values, in write order
     */
    static Map<String, String> fields(ProgressUpdate update) {
        Map<String, String> fields = new LinkedHashMap<>();
        update.done().forEach(sub -> fields.put(DONE + sub, "1"));
        update.attempts().forEach((sub, attempt) -> {
            fields.put(ATTEMPTS + sub, Integer.toString(attempt));
            if (update.dead().contains(sub)) {
                fields.put(DEAD + sub, "1");
            }
            Long due = update.dueInMillis().get(sub);
            if (due != null) {
                fields.put(DUE + sub, Long.toString(due));
            }
        });
        fields.put(ERROR, update.lastError());
        return fields;
    }
}
