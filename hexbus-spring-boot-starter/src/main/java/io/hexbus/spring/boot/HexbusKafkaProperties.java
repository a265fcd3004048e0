package io.hexbus.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The Kafka queue's settings under {@code hexbus.kafka.*}, mapped onto {@code io.hexbus.kafka.KafkaQueueSettings}
 * and {@code KafkaWorkerSettings}; each unset one keeps that record's default. Where Kafka is and how to log in:
 * {@code bootstrap-servers}, with the Guice app's variables for the rest ({@code KAFKA_SECURITY_PROTOCOL}, the SASL and
 * TLS settings), or all from those variables ({@code KAFKA_BOOTSTRAP_SERVERS}). Immutable.
 *
 * @param bootstrapServers  comma-separated {@code host:port} of the brokers (default {@code localhost:9092})
 * @param topicPrefix       the start of every topic name (default {@code hexbus.domain-events})
 * @param partitions        partitions of the events topic, the most workers that share the group's work
 * @param replicationFactor replicas of each partition of the topics the transport creates; 1 on a single broker
 * @param minInsyncReplicas replicas that must have a write, at most the replication factor
 * @param commandTimeout    how long a call to Kafka (a publish included) may take
 * @param concurrency       events one worker handles at once, 1 to 1000
 */
@ConfigurationProperties("hexbus.kafka")
public record HexbusKafkaProperties(String bootstrapServers, String topicPrefix, Integer partitions,
                                    Integer replicationFactor, Integer minInsyncReplicas, Duration commandTimeout,
                                    Integer concurrency) {

    /**
     * Checks the values that need no Kafka type.
     *
     * @param bootstrapServers  the brokers, or null
     * @param topicPrefix       the topic prefix, or null
     * @param partitions        the partitions, or null
     * @param replicationFactor the replication factor, or null
     * @param minInsyncReplicas the minimum in-sync replicas, or null
     * @param commandTimeout    the command timeout, or null
     * @param concurrency       events one worker handles at once, or null
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    public HexbusKafkaProperties {
        PropertyChecks.range("hexbus.kafka.partitions", partitions, 1, 10_000);
        PropertyChecks.range("hexbus.kafka.replication-factor", replicationFactor, 1, 32);
        PropertyChecks.range("hexbus.kafka.min-insync-replicas", minInsyncReplicas, 1,
                replicationFactor == null ? 32 : replicationFactor);
        PropertyChecks.positive("hexbus.kafka.command-timeout", commandTimeout);
        PropertyChecks.range("hexbus.kafka.concurrency", concurrency, 1, 1_000);
    }
}
