package io.hexbus.rabbitmq;

import java.time.Duration;
import java.util.Objects;

/**
 * How the RabbitMQ transport names and shapes its queues and bounds its calls. Immutable; start from
 * {@link #defaults(String)} and change what differs with the {@code with…} methods.
 *
 * @param prefix              the bus's prefix, the start of every name ({@link RabbitNames}): every application of
 *                            one bus uses the same one
 * @param group               the application, one per application: its work queue is {@code <prefix>.<group>}
 * @param dedupeWindow        how long a handled event id is remembered, from when it was handled: the ledger stream's
 *                            {@code x-max-age} (rounded up to whole seconds); positive
 * @param maxRememberedIds    the most handled ids a worker remembers, at least 1 and at most
 *                            {@value #MAX_REMEMBERED_IDS}: past it the ids handled first are forgotten first, even
 *                            within the window
 * @param deadLetterRetention how long a dead letter is kept (the dead-letter stream's {@code x-max-age}), and how
 *                            long an event no application is bound for is kept in {@code <prefix>.unrouted} (its
 *                            {@code x-message-ttl}; RabbitMQ 3.10 takes one of 100 days and more); positive
 * @param commandTimeout      how long a call to the broker (a publish's confirm included) may take before it fails;
 *                            positive
 * @param deliveryLimit       the work and due queues' {@code x-delivery-limit}: a message returned to its queue this
 *                            many times (its consumer's channel or connection died holding it) is dead-lettered to
 *                            the poison queue by the broker; 1 or more. It is the backstop for a message that kills
 *                            its worker before the ledger records it, so it must be above the engine's
 *                            {@code maxTakeovers} (checked by {@link RabbitWorkerSettings#check(RabbitQueueSettings)}),
 *                            which dead-letter a message with their reason first
 * @param statsRetention      how long the statistics stream keeps the workers' reports (its {@code x-max-age}); at
 *                            least {@link #MIN_STATS_RETENTION}
 */
public record RabbitQueueSettings(String prefix, String group, Duration dedupeWindow, int maxRememberedIds,
                                  Duration deadLetterRetention, Duration commandTimeout, int deliveryLimit,
                                  Duration statsRetention) {

    /** The default prefix. */
    public static final String DEFAULT_PREFIX = "hexbus";

    /** The largest {@code maxRememberedIds}, as Kafka's: about 8.6 GB of heap, far past any sensible use. */
    public static final int MAX_REMEMBERED_IDS = 1 << 28;

    /** The default delivery limit: well above the engine's default of 5 takeovers. */
    public static final int DEFAULT_DELIVERY_LIMIT = 20;

    /** The shortest statistics retention: above the time a departed worker's counters take to be checkpointed. */
    public static final Duration MIN_STATS_RETENTION = Duration.ofMinutes(30);

    /**
     * Checks the components.
     *
     * @param prefix              the bus's prefix
     * @param group               the application
     * @param dedupeWindow        how long a handled id is remembered
     * @param maxRememberedIds    the most handled ids remembered
     * @param deadLetterRetention how long a dead letter is kept
     * @param commandTimeout      how long a call may take
     * @param deliveryLimit       returns of a message before the broker dead-letters it
     * @param statsRetention      how long the reports are kept
     * @throws IllegalArgumentException naming the component out of bounds, and the bounds
     * @throws NullPointerException     if a component is null
     */
    public RabbitQueueSettings {
        new RabbitNames(prefix, group); // checks both, naming the one out of its alphabet or length
        positive("dedupeWindow", dedupeWindow);
        positive("deadLetterRetention", deadLetterRetention);
        positive("commandTimeout", commandTimeout);
        positive("statsRetention", statsRetention);
        if (statsRetention.compareTo(MIN_STATS_RETENTION) < 0) {
            // A departed worker's counters move into a checkpoint 10 to 15 minutes after its last report: the
            // stream must keep the report until then.
            throw new IllegalArgumentException("statsRetention must be at least " + MIN_STATS_RETENTION
                    + " (departed workers' counters are checkpointed within 15 minutes), got " + statsRetention);
        }
        if (maxRememberedIds < 1 || maxRememberedIds > MAX_REMEMBERED_IDS) {
            throw new IllegalArgumentException("maxRememberedIds must be 1 to " + MAX_REMEMBERED_IDS + ", got "
                    + maxRememberedIds);
        }
        if (commandTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("commandTimeout must fit in an int of ms, got " + commandTimeout);
        }
        if (deliveryLimit < 1) {
            throw new IllegalArgumentException("deliveryLimit must be at least 1, got " + deliveryLimit);
        }
    }

    /**
     * The defaults: prefix {@value #DEFAULT_PREFIX}, handled ids remembered 24 hours and at most 1,000,000, dead
     * letters kept 7 days, calls bounded by 5 seconds, a delivery limit of {@value #DEFAULT_DELIVERY_LIMIT},
     * reports kept 1 hour.
     *
     * @param group the application
     * @return the settings
     */
    public static RabbitQueueSettings defaults(String group) {
        return new RabbitQueueSettings(DEFAULT_PREFIX, group, Duration.ofHours(24), 1_000_000, Duration.ofDays(7),
                Duration.ofSeconds(5), DEFAULT_DELIVERY_LIMIT, Duration.ofHours(1));
    }

    /** @return the names of everything the application's queue uses */
    public RabbitNames names() {
        return new RabbitNames(prefix, group);
    }

    /**
     * @param value the bus's prefix
     * @return a copy with it
     */
    public RabbitQueueSettings withPrefix(String value) {
        return new RabbitQueueSettings(value, group, dedupeWindow, maxRememberedIds, deadLetterRetention,
                commandTimeout, deliveryLimit, statsRetention);
    }

    /**
     * @param value the application
     * @return a copy with it
     */
    public RabbitQueueSettings withGroup(String value) {
        return new RabbitQueueSettings(prefix, value, dedupeWindow, maxRememberedIds, deadLetterRetention,
                commandTimeout, deliveryLimit, statsRetention);
    }

    /**
     * @param value how long a handled id is remembered
     * @return a copy with it
     */
    public RabbitQueueSettings withDedupeWindow(Duration value) {
        return new RabbitQueueSettings(prefix, group, value, maxRememberedIds, deadLetterRetention, commandTimeout,
                deliveryLimit, statsRetention);
    }

    /**
     * @param value the most handled ids remembered
     * @return a copy with it
     */
    public RabbitQueueSettings withMaxRememberedIds(int value) {
        return new RabbitQueueSettings(prefix, group, dedupeWindow, value, deadLetterRetention, commandTimeout,
                deliveryLimit, statsRetention);
    }

    /**
     * @param value how long a dead letter (and an unrouted event) is kept
     * @return a copy with it
     */
    public RabbitQueueSettings withDeadLetterRetention(Duration value) {
        return new RabbitQueueSettings(prefix, group, dedupeWindow, maxRememberedIds, value, commandTimeout,
                deliveryLimit, statsRetention);
    }

    /**
     * @param value how long a call to the broker may take
     * @return a copy with it
     */
    public RabbitQueueSettings withCommandTimeout(Duration value) {
        return new RabbitQueueSettings(prefix, group, dedupeWindow, maxRememberedIds, deadLetterRetention, value,
                deliveryLimit, statsRetention);
    }

    /**
     * @param value returns of a message before the broker dead-letters it to the poison queue
     * @return a copy with it
     */
    public RabbitQueueSettings withDeliveryLimit(int value) {
        return new RabbitQueueSettings(prefix, group, dedupeWindow, maxRememberedIds, deadLetterRetention,
                commandTimeout, value, statsRetention);
    }

    /**
     * @param value how long the workers' reports are kept
     * @return a copy with it
     */
    public RabbitQueueSettings withStatsRetention(Duration value) {
        return new RabbitQueueSettings(prefix, group, dedupeWindow, maxRememberedIds, deadLetterRetention,
                commandTimeout, deliveryLimit, value);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
