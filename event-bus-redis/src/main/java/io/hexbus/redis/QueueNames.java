package io.hexbus.redis;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Named queues on Redis: which names are allowed, and the key prefix of each. A queue is a stream of its own with
 * its own hash tag, so that every key of one queue shares one Cluster slot (its scripts keep working) while the
 * queues spread over the nodes. Pure functions.
 */
public final class QueueNames {

    /** The queue of every event name without a route; its keys are exactly those of the configured prefix. */
    public static final String DEFAULT = "default";

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");

    private QueueNames() {
    }

    /**
     * @param queue a queue name
     * @return it, if allowed: 1 to 64 lower-case letters, digits, {@code -} or {@code _}
     * @throws IllegalArgumentException naming the value
     */
    public static String check(String queue) {
        Objects.requireNonNull(queue, "queue");
        if (!NAME.matcher(queue).matches()) {
            throw new IllegalArgumentException("queue name '" + queue + "' is not allowed: use 1 to 64 lower-case"
                    + " letters, digits, '-' or '_'");
        }
        return queue;
    }

    /**
     * The key prefix of a queue: the configured prefix for {@value #DEFAULT} (no key changes for existing users),
     * else that prefix with the queue's name appended inside its hash tag: {@code hexbus:{domain-events}} and
     * queue {@code mail} give {@code hexbus:{domain-events.mail}}.
     *
     * @param prefix the configured prefix, with exactly one hash tag
     * @param queue  an allowed queue name
     * @return the prefix of that queue's keys
     * @throws IllegalArgumentException if the queue name is not allowed
     */
    public static String prefixOf(String prefix, String queue) {
        check(queue);
        if (DEFAULT.equals(queue)) {
            return prefix;
        }
        int close = prefix.indexOf('}');
        return prefix.substring(0, close) + "." + queue + prefix.substring(close);
    }
}
