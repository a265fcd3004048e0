package io.hexbus.rabbitmq;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names of everything one application's queue uses on RabbitMQ, derived from the bus's prefix and the
 * application's group (docs/rabbitmq-transport.md, "Topology"). Pure: declares nothing.
 *
 * <p>Immutable and thread-safe.
 *
 * @param prefix the bus's prefix: every application of one bus uses the same one
 * @param group  the application (its consumer group)
 */
public record RabbitNames(String prefix, String group) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /**
     * Checks the parts.
     *
     * @param prefix 1 to 100 of letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or digit
     * @param group  the same alphabet and length
     * @throws IllegalArgumentException if a part is out of that alphabet or length, naming it
     * @throws NullPointerException     if a part is null
     */
    public RabbitNames {
        check("prefix", prefix);
        check("group", group);
    }

    private static void check(String what, String value) {
        Objects.requireNonNull(value, what);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1 to 100 letters, digits, '.', '_' or '-', starting"
                    + " with a letter or digit, got '" + value + "'");
        }
    }

    /** @return the bus's topic exchange, routed by event name: {@code <prefix>.events} */
    public String exchange() {
        return prefix + ".events";
    }

    /** @return the alternate exchange of {@link #exchange()}, which takes the events no queue is bound for */
    public String unroutedExchange() {
        return prefix + ".unrouted";
    }

    /** @return the queue the events no application is bound for are kept in, counted */
    public String unroutedQueue() {
        return prefix + ".unrouted";
    }

    /** @return the application's work queue (quorum), bound to {@link #exchange()} by each event name it handles */
    public String workQueue() {
        return prefix + "." + group;
    }

    /** @return the queue (quorum) the retry tiers dead-letter due retries into, apart from new events */
    public String dueQueue() {
        return workQueue() + ".due";
    }

    /**
     * @param tier a retry tier's label, such as {@code 4s}
     * @return the queue (quorum, a message TTL of the tier) a retry waits its backoff in
     */
    public String retryQueue(String tier) {
        return workQueue() + ".retry." + tier;
    }

    /** @return the queue (quorum) the work and due queues dead-letter a message past their delivery limit into */
    public String poisonQueue() {
        return workQueue() + ".poison";
    }

    /** @return the stream of claims and settles: the record of handled ids, bounded by the dedupe window */
    public String ledgerStream() {
        return workQueue() + ".ledger";
    }

    /** @return the stream of dead letters and their removals, bounded by the dead-letter retention */
    public String deadLetterStream() {
        return workQueue() + ".dead-letters";
    }

    /** @return the stream of the workers' statistics reports */
    public String statsStream() {
        return workQueue() + ".stats";
    }
}
