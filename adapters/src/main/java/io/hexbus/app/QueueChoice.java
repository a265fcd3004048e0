package io.hexbus.app;

import java.util.Locale;
import java.util.Map;

/**
 * Which queue carries the events when {@code USE_QUEUE_EVENT_BUS=true}, read once at start from
 * {@code HEXBUS_TRANSPORT}.
 */
enum QueueChoice {
    /** The Redis queue ({@code event-bus-redis}): the default. */
    REDIS,
    /** The Kafka queue ({@code event-bus-kafka}). */
    KAFKA,
    /** The RabbitMQ queue ({@code event-bus-rabbitmq}). */
    RABBITMQ,
    /** No delivery at all: events are accepted and counted, no handler runs anywhere. */
    NONE;

    static final String VARIABLE = "HEXBUS_TRANSPORT";

    /**
     * @param configuration the merged configuration
     * @return the choice; {@link #REDIS} when the variable is unset or blank
     * @throws IllegalArgumentException naming the variable, its value and the allowed values
     */
    static QueueChoice from(Map<String, String> configuration) {
        String value = configuration.getOrDefault(VARIABLE, "").trim();
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "", "redis" -> REDIS;
            case "kafka" -> KAFKA;
            case "rabbitmq" -> RABBITMQ;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException(VARIABLE + "='" + value + "' is not allowed: use redis"
                    + " (the Redis queue, the default), kafka (the Kafka queue), rabbitmq (the RabbitMQ queue) or none"
                    + " (accept and count events,"
                    + " deliver none); it names the queue of " + TransportChoice.VARIABLE + "=true");
        };
    }

    /**
     * @return the value as written in {@code HEXBUS_TRANSPORT}
     */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
