package io.hexbus.kafka;

import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The topic every event of a bus is written to: created when missing, checked when present, so that a topic made
 * by hand or by another version does not silently break what the transport promises.
 */
final class EventsTopic {

    private EventsTopic() {
    }

    /**
     * Creates the events topic with the settings' partitions, replication and retention, or checks the one there.
     *
     * @param admin           a connected admin client
     * @param settings        the topic's name and shape
     * @param maxMessageBytes the largest record the topic must take
     * @param servers         the cluster, for messages
     * @throws IllegalStateException         naming the topic, the setting, what it is and what is needed, when an
     *                                       existing topic differs (fewer or more partitions, compaction only)
     * @throws TransportUnavailableException if the cluster cannot be used, or cannot hold the replication asked for
     */
    static void ensure(Admin admin, KafkaQueueSettings settings, int maxMessageBytes, String servers) {
        NewTopic wanted = new NewTopic(settings.eventsTopic(), settings.partitions(), settings.replicationFactor())
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.retention().toMillis()),
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()),
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes)));
        ExistingTopic.createOrRead(admin, wanted, settings, servers).ifPresent(existing -> check(existing, settings,
                servers));
    }

    private static void check(ExistingTopic existing, KafkaQueueSettings settings, String servers) {
        String topic = existing.name();
        int partitions = existing.partitions();
        if (partitions != settings.partitions()) {
            // Another count would move keys to other partitions: events of one ordering key would go out of order.
            throw new IllegalStateException("Kafka topic '" + topic + "' at " + servers + " has " + partitions
                    + " partitions, but the transport is set to " + settings.partitions() + ": set partitions to "
                    + partitions + ", or use another topic prefix");
        }
        if (!existing.deletes() || existing.compacts()) {
            throw new IllegalStateException("Kafka topic '" + topic + "' at " + servers + " has cleanup.policy="
                    + existing.cleanupPolicy() + ", but events must be kept whole, each one, until their retention: set cleanup.policy"
                    + "=delete on it, or use another topic prefix");
        }
    }

    static Optional<TopicDescription> describe(Admin admin, String topic, KafkaQueueSettings settings,
                                                       String servers) {
        try {
            return Optional.of(call(admin.describeTopics(List.of(topic)).allTopicNames(), "describing topic " + topic,
                    settings, servers).get(topic));
        } catch (TransportUnavailableException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Waits for an admin call within the command timeout, reporting its failure in the API's terms. */
    static <T> T call(org.apache.kafka.common.KafkaFuture<T> future, String what, KafkaQueueSettings settings,
                              String servers) {
        try {
            return future.get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TransportTimeoutException(what + ": Kafka at " + servers + " did not answer within "
                    + settings.commandTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException(what + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidReplicationFactorException) {
                throw new TransportUnavailableException(what + ": Kafka at " + servers + " cannot hold "
                        + settings.replicationFactor() + " replicas (" + cause.getMessage() + "): set the replication"
                        + " to at most the number of brokers", cause);
            }
            throw new TransportUnavailableException(what + ": Kafka at " + servers + ": " + cause.getMessage(), cause);
        }
    }
}
