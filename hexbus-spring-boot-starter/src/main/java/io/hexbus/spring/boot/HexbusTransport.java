package io.hexbus.spring.boot;

import java.util.Locale;

/**
 * The transports {@code hexbus.transport} can name, as written there: {@code in-memory} (the default),
 * {@code redis}, {@code kafka}, {@code rabbitmq} or {@code none}.
 */
public enum HexbusTransport {
    /** Handlers run in the publisher's thread ({@code event-bus-inmemory}); no worker, no retry, no persistence. */
    IN_MEMORY(null, null),
    /** The Redis queue. */
    REDIS("io.hexbus.redis.RedisTransport", "event-bus-redis"),
    /** The Kafka queue. */
    KAFKA("io.hexbus.kafka.KafkaTransport", "event-bus-kafka"),
    /** The RabbitMQ queue. */
    RABBITMQ("io.hexbus.rabbitmq.RabbitTransport", "event-bus-rabbitmq"),
    /** No delivery: events are accepted and counted as a queue does, and no handler runs anywhere. */
    NONE(null, null);

    private final String transportClass;
    private final String artifactId;

    HexbusTransport(String transportClass, String artifactId) {
        this.transportClass = transportClass;
        this.artifactId = artifactId;
    }

    /**
     * @return the value as written in {@code hexbus.transport}, such as {@code in-memory}
     */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @return whether this is a queue of its own module, whose workers consume in the background
     */
    public boolean isQueue() {
        return transportClass != null;
    }

    /**
     * @return the class that must be on the class path for this transport, or null for those of
     *         {@code event-bus-inmemory}, which the starter brings
     */
    String transportClass() {
        return transportClass;
    }

    /**
     * @return the Maven artifact, in group {@code io.hexbus}, that holds this transport, or null for those the
     *         starter brings
     */
    String artifactId() {
        return artifactId;
    }
}
