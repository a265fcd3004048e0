package io.hexbus.kafka;

import io.hexbus.api.transport.TransportUnavailableException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.List;
import java.util.Optional;

/**
 * A topic of the transport that was there already: its description and its configuration, for the checks each
 * topic makes of one it did not create (a topic made by hand, or by another version, must not silently break what
 * the transport promises).
 *
 * @param description its partitions
 * @param config      its configuration
 */
record ExistingTopic(TopicDescription description, Config config) {

    /** The value of {@code message.timestamp.type} that makes a record's timestamp the broker's clock. */
    static final String LOG_APPEND_TIME = "LogAppendTime";

    /**
     * Creates a topic when it is missing, or reads the one there; a topic another process creates meanwhile is read
     * as one that was there.
     *
     * @param admin    a connected admin client
     * @param wanted   the topic to create when it is missing
     * @param settings the command timeout
     * @param servers  the cluster, for messages
     * @return empty when this call created it; else the topic there
     * @throws TransportUnavailableException if the cluster cannot be used, or cannot hold the replication asked for
     */
    static Optional<ExistingTopic> createOrRead(Admin admin, NewTopic wanted, KafkaQueueSettings settings,
                                                String servers) {
        String topic = wanted.name();
        Optional<TopicDescription> existing = EventsTopic.describe(admin, topic, settings, servers);
        if (existing.isEmpty()) {
            try {
                EventsTopic.call(admin.createTopics(List.of(wanted)).all(), "creating topic " + topic, settings,
                        servers);
                return Optional.empty();
            } catch (TransportUnavailableException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                existing = describeCreated(admin, topic, settings, servers);
            }
        }
        TopicDescription description = existing.orElseThrow(() -> new TransportUnavailableException("describing topic "
                + topic + ": Kafka at " + servers + " reported it both present and missing", null));
        return Optional.of(new ExistingTopic(description, configOnceVisible(admin, topic, settings, servers)));
    }

    /**
     * Describes a topic that exists (created before this call, by this process or another) but that the broker
     * answering may not know yet: a cluster's metadata reaches each broker a moment after the topic is created. Tries
     * again, briefly, within the command timeout. Every description of a topic just created goes through here.
     *
     * @param admin    a connected admin client
     * @param topic    the topic
     * @param settings the command timeout
     * @param servers  the cluster, for messages
     * @return its description; empty if no broker asked knew it within the command timeout
     * @throws TransportUnavailableException if the cluster cannot be used
     */
    static Optional<TopicDescription> describeCreated(Admin admin, String topic, KafkaQueueSettings settings,
                                                      String servers) {
        long deadline = System.nanoTime() + settings.commandTimeout().toNanos();
        while (true) {
            Optional<TopicDescription> found = EventsTopic.describe(admin, topic, settings, servers);
            if (found.isPresent() || System.nanoTime() - deadline >= 0) {
                return found;
            }
            pause();
        }
    }

    /** Reads a topic's configuration, again while the broker answering does not know the topic yet. */
    private static Config configOnceVisible(Admin admin, String topic, KafkaQueueSettings settings, String servers) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        long deadline = System.nanoTime() + settings.commandTimeout().toNanos();
        while (true) {
            try {
                return EventsTopic.call(admin.describeConfigs(List.of(resource)).all(),
                        "reading the configuration of topic " + topic, settings, servers).get(resource);
            } catch (TransportUnavailableException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                        || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
            }
            pause();
        }
    }

    /** Waits a little between two reads of metadata; between tries, not synchronisation. */
    static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException("interrupted while waiting for Kafka's metadata", e);
        }
    }

    /** @return its name */
    String name() {
        return description.name();
    }

    /** @return its partition count */
    int partitions() {
        return description.partitions().size();
    }

    /** @return its {@code cleanup.policy}, e.g. {@code delete} or {@code compact,delete} */
    String cleanupPolicy() {
        return config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    }

    /**
     * @return whether its records' timestamps are the broker's time of the append
     *         ({@code message.timestamp.type=LogAppendTime}), not their writers' clocks
     */
    boolean appendTimestamped() {
        return LOG_APPEND_TIME.equals(config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value());
    }

    /** @return whether its cleanup policy compacts */
    boolean compacts() {
        return cleanupPolicy().contains(TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /** @return whether its cleanup policy deletes by age */
    boolean deletes() {
        return cleanupPolicy().contains(TopicConfig.CLEANUP_POLICY_DELETE);
    }
}
