package io.hexbus.rabbitmq;

import io.hexbus.engine.worker.EngineSettings;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the RabbitMQ transport's workers work: the engine's knobs, the consumer's read-ahead, and the broker's
 * consumer timeout. Immutable.
 *
 * @param engine          the engine's settings (handler slots, fetch wait, shutdown deadline, takeovers...); its
 *                        visibility timeout only paces the engine's renewals, which cost nothing on RabbitMQ: a
 *                        delivery is leased to its channel until acknowledged, and returned when the channel dies
 * @param readAhead       deliveries the broker may push beyond the handler slots: the consumer's prefetch is
 *                        {@link #prefetch()}; 0 or more. Small: a delivery waiting in a worker counts against the
 *                        consumer timeout from when it was pushed
 * @param consumerTimeout the broker's {@code consumer_timeout} (30 minutes by default): a delivery unacknowledged
 *                        that long makes the broker close its channel and hand every delivery of the channel to
 *                        another worker. Set it to the broker's when that differs; on RabbitMQ 3.12 and later the
 *                        consumers ask for it ({@link #consumerArguments(String)}); positive
 */
public record RabbitWorkerSettings(EngineSettings engine, int readAhead, Duration consumerTimeout) {

    /** The read-ahead by default: {@value}. */
    public static final int DEFAULT_READ_AHEAD = 8;

    /** RabbitMQ's default {@code consumer_timeout}: 30 minutes. */
    public static final Duration DEFAULT_CONSUMER_TIMEOUT = Duration.ofMinutes(30);

    /** The consumer argument, and the queue argument, setting the consumer timeout (RabbitMQ 3.12 and later). */
    static final String CONSUMER_TIMEOUT_ARGUMENT = "x-consumer-timeout";

    /**
     * Checks the components.
     *
     * @param engine          the engine's settings
     * @param readAhead       deliveries pushed beyond the handler slots
     * @param consumerTimeout the broker's consumer timeout
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if {@code readAhead} is negative, the prefetch is over 65535 (AMQP's
     *                                  largest), or {@code consumerTimeout} not positive or over
     *                                  {@link Integer#MAX_VALUE} ms
     */
    public RabbitWorkerSettings {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(consumerTimeout, "consumerTimeout");
        if (readAhead < 0) {
            throw new IllegalArgumentException("readAhead must be 0 or more, got " + readAhead);
        }
        if ((long) engine.concurrency() + readAhead > 65_535) {
            throw new IllegalArgumentException("concurrency + readAhead is the consumer's prefetch, at most 65535 in"
                    + " AMQP, got " + engine.concurrency() + " + " + readAhead);
        }
        if (consumerTimeout.isZero() || consumerTimeout.isNegative()
                || consumerTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("consumerTimeout must be positive and fit in an int of ms, got "
                    + consumerTimeout);
        }
    }

    /**
     * @return the engine's defaults ({@link EngineSettings#defaults()}) with its read-ahead lowered to
     *         {@value #DEFAULT_READ_AHEAD}, a read-ahead of {@value #DEFAULT_READ_AHEAD}, and RabbitMQ's default
     *         consumer timeout of 30 minutes
     */
    public static RabbitWorkerSettings defaults() {
        return new RabbitWorkerSettings(EngineSettings.defaults().withReadAhead(DEFAULT_READ_AHEAD),
                DEFAULT_READ_AHEAD, DEFAULT_CONSUMER_TIMEOUT);
    }

    /** @return the consumer's prefetch ({@code basic.qos}): the handler slots plus the read-ahead */
    public int prefetch() {
        return engine.concurrency() + readAhead;
    }

    /**
     * Refuses a handler timeout the broker would cut short: a handler still running at the consumer timeout keeps
     * its delivery unacknowledged that long, so the broker closes the worker's channel and redelivers the message,
     * and every other one the channel holds, to another worker while the handler still runs: the event would run
     * twice at once.
     *
     * @param subscription what the timeout is of, for the message: {@code "subscription 'mailer'"}, or the
     *                     subscriptions of an event, whose timeouts add up (they run one after another)
     * @param timeout      its handler timeout
     * @throws IllegalArgumentException if {@code timeout} is at or above {@link #consumerTimeout()}, saying why
     */
    public void checkHandlerTimeout(String subscription, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(consumerTimeout) >= 0) {
            throw new IllegalArgumentException("the handler timeout of " + subscription + " is " + timeout
                    + ", not below the RabbitMQ consumer timeout of " + consumerTimeout + ": a handler still running"
                    + " then would have its message redelivered to another worker while it runs; lower the handler"
                    + " timeout, or raise the broker's consumer_timeout and consumerTimeout with it");
        }
    }

    /**
     * Checks these settings against the queue's.
     *
     * @param queue the queue's settings
     * @throws IllegalArgumentException if the queue's delivery limit is not above the engine's takeovers: the broker
     *                                  would move a message taken over too often to the poison queue before the
     *                                  engine dead-letters it with its reason
     */
    public void check(RabbitQueueSettings queue) {
        Objects.requireNonNull(queue, "queue");
        if (queue.deliveryLimit() <= engine.maxTakeovers()) {
            throw new IllegalArgumentException("deliveryLimit " + queue.deliveryLimit() + " must be above the engine's"
                    + " maxTakeovers " + engine.maxTakeovers() + ": the broker would move a message taken over that"
                    + " often to the poison queue before the engine dead-letters it with its reason");
        }
    }

    /**
     * @param serverVersion the broker's version, as its connection's server properties give it ({@code version})
     * @return the arguments of the workers' {@code basic.consume}: {@code x-consumer-timeout} =
     *         {@link #consumerTimeout()} from RabbitMQ 3.12 on (older brokers ignore it and apply their
     *         {@code consumer_timeout}); a new, unmodifiable map
     */
    public Map<String, Object> consumerArguments(String serverVersion) {
        return ServerVersion.atLeast(serverVersion, 3, 12)
                ? Map.of(CONSUMER_TIMEOUT_ARGUMENT, consumerTimeout.toMillis()) : Map.of();
    }

    /**
     * @param value the engine's settings
     * @return a copy with them
     */
    public RabbitWorkerSettings withEngine(EngineSettings value) {
        return new RabbitWorkerSettings(value, readAhead, consumerTimeout);
    }

    /**
     * @param value deliveries pushed beyond the handler slots
     * @return a copy with it
     */
    public RabbitWorkerSettings withReadAhead(int value) {
        return new RabbitWorkerSettings(engine, value, consumerTimeout);
    }

    /**
     * @param value the broker's consumer timeout
     * @return a copy with it
     */
    public RabbitWorkerSettings withConsumerTimeout(Duration value) {
        return new RabbitWorkerSettings(engine, readAhead, value);
    }
}
