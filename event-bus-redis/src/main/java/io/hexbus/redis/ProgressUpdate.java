package io.hexbus.redis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a rescheduled round adds to an entry's {@link Progress}: the subscriptions that succeeded in it, and
 * for each one that failed its new attempt count and either its retry delay or that it gave up (dead); plus
 * the entry's last error. Immutable; the collections keep the order they were given in. Every dead or due
 * subscription has an attempt count.
 *
 * @param done        subscriptions that succeeded in this round
 * @param attempts    failed attempts so far, per subscription that failed in this round, in the order they ran
 * @param dueInMillis per subscription to retry, the delay before it may run again, from the Redis clock at
 *                    the write
 * @param dead        subscriptions that gave up in this round
 * @param lastError   the entry's last error: this round's last failure, or the one recorded before
 */
record ProgressUpdate(List<String> done, Map<String, Integer> attempts, Map<String, Long> dueInMillis,
                      Set<String> dead, String lastError) {

    ProgressUpdate {
        done = List.copyOf(done);
        attempts = Collections.unmodifiableMap(new LinkedHashMap<>(attempts));
        dueInMillis = Collections.unmodifiableMap(new LinkedHashMap<>(dueInMillis));
        dead = Collections.unmodifiableSet(new LinkedHashSet<>(dead));
        if (!attempts.keySet().containsAll(dead) || !attempts.keySet().containsAll(dueInMillis.keySet())) {
            throw new IllegalArgumentException("a dead or due subscription without attempts: " + dead + ", "
                    + dueInMillis.keySet() + " not in " + attempts.keySet());
        }
    }

    /**
     * The update as progress-hash fields, in the form {@code reschedule-4.lua} takes: a {@code due:} value
     * is a delay the script turns into a time on the Redis clock.
     *
     * @return field names and values, in write order
     */
    Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        done.forEach(sub -> fields.put(Progress.DONE + sub, "1"));
        attempts.forEach((sub, attempt) -> {
            fields.put(Progress.ATTEMPTS + sub, Integer.toString(attempt));
            if (dead.contains(sub)) {
                fields.put(Progress.DEAD + sub, "1");
            }
            Long due = dueInMillis.get(sub);
            if (due != null) {
                fields.put(Progress.DUE + sub, Long.toString(due));
            }
        });
        fields.put(Progress.ERROR, lastError);
        return fields;
    }
}
