package io.hexbus.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * The settings under {@code hexbus.*} that every transport shares; each queue's own are under
 * {@code hexbus.redis.*}, {@code hexbus.kafka.*} and {@code hexbus.rabbitmq.*}. Checked when bound: a wrong value
 * fails the context with a message naming the property. Immutable.
 *
 * @param transport        the transport: {@code in-memory} (the default), {@code redis}, {@code kafka},
 *                         {@code rabbitmq} or {@code none}; with {@code USE_QUEUE_EVENT_BUS=true} in the
 *                         environment, {@code hexbus.queue} names the queue when this is unset
 * @param queue            the queue {@code USE_QUEUE_EVENT_BUS=true} selects when {@code hexbus.transport} is unset:
 *                         {@code redis} (the default), {@code kafka}, {@code rabbitmq} or {@code none}
 * @param mode             what this process does: {@code all} (publish and consume, the default), {@code api}
 *                         (publish only) or {@code worker} (consume only)
 * @param group            the consumer group of this application on a queue; {@code spring.application.name} when
 *                         unset, else {@code hexbus}
 * @param shutdownDeadline how long in-flight handlers may take to finish when the context stops (default 30 s); keep
 *                         {@code spring.lifecycle.timeout-per-shutdown-phase} above it
 * @param workers          queue workers this process starts when it consumes, 1 to 64 (default 1)
 * @param subscriptions    per subscription name, options that override those of its handler's annotation; a name
 *                         with dots goes in brackets: {@code hexbus.subscriptions[billing.send-invoice].timeout=10s}
 */
@ConfigurationProperties("hexbus")
public record HexbusProperties(HexbusTransport transport, HexbusTransport queue,
                               @DefaultValue("all") HexbusMode mode, String group,
                               @DefaultValue("30s") Duration shutdownDeadline, @DefaultValue("1") int workers,
                               Map<String, SubscriptionProperties> subscriptions) {

    /**
     * Checks the values.
     *
     * @param transport        the transport, or null when unset
     * @param queue            the queue of {@code USE_QUEUE_EVENT_BUS=true}, or null when unset
     * @param mode             what this process does
     * @param group            the consumer group, or null when unset
     * @param shutdownDeadline how long in-flight handlers may take at stop
     * @param workers          queue workers this process starts
     * @param subscriptions    options per subscription name
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    public HexbusProperties {
        if (shutdownDeadline.isNegative() || shutdownDeadline.isZero()
                || shutdownDeadline.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("hexbus.shutdown-deadline=" + shutdownDeadline
                    + " is not allowed: use a duration above 0 and at most 1h (default 30s)");
        }
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("hexbus.workers=" + workers + " is not allowed: use 1 to 64 (default 1)");
        }
        if (queue == HexbusTransport.IN_MEMORY) {
            throw new IllegalArgumentException("hexbus.queue=in-memory is not allowed: it names the queue of"
                    + " USE_QUEUE_EVENT_BUS=true; use redis (the default), kafka, rabbitmq or none");
        }
        subscriptions = subscriptions == null ? Map.of() : Map.copyOf(subscriptions);
    }

    /**
     * The options of one subscription, under {@code hexbus.subscriptions.<name>.*}; each unset one keeps the value of
     * the handler's {@link HexbusHandler} annotation, else the default.
     *
     * @param enabled        false to leave the subscription unregistered (a feature flag); default true
     * @param maxRetries     retries after the first attempt, 0 to 100, on transports that retry
     * @param initialBackoff the wait before the first retry, doubling after
     * @param timeout        how long one attempt may run before it counts as failed, above 0
     * @param rateLimit      at most this many handler runs per {@code rateLimitPer}, across the application's workers
     *                       on Redis (Kafka and RabbitMQ refuse a rate-limited subscription; in memory it is ignored);
     *                       0 removes the annotation's limit
     * @param rateLimitPer   the rate limit's sliding window, at least 1 ms; the annotation's, else 1 s
     */
    public record SubscriptionProperties(@DefaultValue("true") boolean enabled, Integer maxRetries,
                                         Duration initialBackoff, Duration timeout, Integer rateLimit,
                                         Duration rateLimitPer) {

        /**
         * Checks the values.
         *
         * @param enabled        whether it is registered
         * @param maxRetries     retries after the first attempt, or null when unset
         * @param initialBackoff the wait before the first retry, or null when unset
         * @param timeout        the handler timeout, or null when unset
         * @param rateLimit      handler runs per window, or null when unset
         * @param rateLimitPer   the rate limit's window, or null when unset
         * @throws IllegalArgumentException naming the property whose value is wrong
         */
        public SubscriptionProperties {
            if (maxRetries != null && (maxRetries < 0 || maxRetries > 100)) {
                throw new IllegalArgumentException("hexbus.subscriptions.<name>.max-retries=" + maxRetries
                        + " is not allowed: use 0 to 100");
            }
            if (initialBackoff != null && initialBackoff.isNegative()) {
                throw new IllegalArgumentException("hexbus.subscriptions.<name>.initial-backoff=" + initialBackoff
                        + " is not allowed: use 0 or more");
            }
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("hexbus.subscriptions.<name>.timeout=" + timeout
                        + " is not allowed: use a duration above 0");
            }
            if (rateLimit != null && rateLimit < 0) {
                throw new IllegalArgumentException("hexbus.subscriptions.<name>.rate-limit=" + rateLimit
                        + " is not allowed: use 1 or more runs per rate-limit-per, or 0 for no limit");
            }
            if (rateLimitPer != null && rateLimitPer.toMillis() < 1) {
                throw new IllegalArgumentException("hexbus.subscriptions.<name>.rate-limit-per=" + rateLimitPer
                        + " is not allowed: use a duration of at least 1ms");
            }
        }
    }
}
