package io.hexbus.kafka;

import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;

import java.util.Map;
import java.util.Objects;

/**
 * A group's stats topic, {@code <topicPrefix>.<group>.stats}: its shape, and its records. Each worker writes its
 * {@link WorkerReport} under its own name as the key; the topic is compacted, so it keeps the latest report of every
 * worker that ever reported (its cumulative counters), and a tombstone (the name with no value) forgets a worker.
 * {@link StatsReader} folds it into totals.
 *
 * <p>Thread-safe, as its producer is. {@link #write} and {@link #remove} block until the cluster acknowledged the
 * record, at most about three times the command timeout, and fail with a {@link TransportTimeoutException} (the
 * record may still have been written) or a {@link TransportUnavailableException}.
 */
final class StatsTopic {

    /**
     * The partitions of a new stats topic. One: a read folds the whole topic anyway, and it stays small (one
     * record per worker once compacted). An existing topic may have more: a worker's records all go to the
     * partition of its key, and a read folds every partition.
     */
    static final int PARTITIONS = 1;

    private final Producer<String, String> producer;
    private final KafkaQueueSettings settings;
    private final String servers;

    /**
     * @param producer writes the records; configured with {@code acks=all} by its owner, who closes it
     * @param settings the topic's name and the command timeout
     * @param servers  the cluster, for messages
     */
    StatsTopic(Producer<String, String> producer, KafkaQueueSettings settings, String servers) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.servers = Objects.requireNonNull(servers, "servers");
    }

    /**
     * @param settings the topic prefix and the group
     * @return the group's stats topic, {@code <topicPrefix>.<group>.stats}
     */
    static String name(KafkaQueueSettings settings) {
        return settings.topicPrefix() + "." + settings.group() + ".stats";
    }

    /**
     * Creates the stats topic when it is missing ({@value #PARTITIONS} partition, {@code cleanup.policy=compact},
     * {@code message.timestamp.type=LogAppendTime}, the settings' replication), or checks the one there. Blocks for at most a few command timeouts.
     *
     * @param admin    a connected admin client
     * @param settings the topic's name and replication
     * @param servers  the cluster, for messages
     * @throws IllegalStateException         naming the topic, when an existing one is not compacted, is also
     *                                       deleted by age, or has the writers' timestamps (CreateTime)
     * @throws TransportUnavailableException if the cluster cannot be used, or cannot hold the replication asked for
     */
    static void ensure(Admin admin, KafkaQueueSettings settings, String servers) {
        String topic = name(settings);
        NewTopic wanted = new NewTopic(topic, PARTITIONS, settings.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, ExistingTopic.LOG_APPEND_TIME,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas())));
        ExistingTopic existing = ExistingTopic.createOrRead(admin, wanted, settings, servers).orElse(null);
        if (existing != null && (!existing.compacts() || existing.deletes())) {
            String cleanup = existing.cleanupPolicy();
            // Without compaction the topic grows by a record per worker per second; with deletion by age the report
            // of a worker gone for longer than the retention goes, and the group's counters with it.
            throw new IllegalStateException("Kafka topic '" + topic + "' at " + servers + " has cleanup.policy="
                    + cleanup + ", but the workers' reports need compact (each worker's latest report kept, for ever):"
                    + " set cleanup.policy=compact on it, or use another topic prefix");
        }
        if (existing != null && !existing.appendTimestamped()) {
            // A worker reads the broker's clock from the append times of its reports (BrokerClock).
            throw new IllegalStateException("Kafka topic '" + topic + "' at " + servers + " has "
                    + TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG + "=" + existing.config()
                    .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value() + ", but the workers read the broker's"
                    + " clock from their reports' timestamps: set " + TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG + "="
                    + ExistingTopic.LOG_APPEND_TIME + " on it, or use another topic prefix");
        }
    }

    /**
     * The record of a report, for a writer of its own (a worker that does not wait for each report). Partitioned by
     * its key, as Kafka's default partitioner does with a {@code null} partition.
     *
     * @param report the report
     * @return the record
     */
    ProducerRecord<String, String> record(WorkerReport report) {
        return new ProducerRecord<>(name(settings), null, report.worker(), report.encode());
    }

    /**
     * Writes a report, replacing the worker's earlier one, and waits for the cluster's acknowledgement.
     *
     * @param report the report
     * @throws TransportTimeoutException     if the cluster did not acknowledge in time (it may still be written)
     * @return what the cluster acknowledged; its timestamp is the broker's time of the append
     * @throws TransportUnavailableException if the cluster refused or cannot be reached
     */
    RecordMetadata write(WorkerReport report) {
        return KafkaCalls.write(producer, record(report),
                "writing the report of worker " + report.worker(), settings, servers);
    }

    /**
     * Writes a worker's subscription report, replacing its earlier one, and waits for the cluster's acknowledgement.
     *
     * @param report the report
     * @return what the cluster acknowledged; its timestamp is the broker's time of the append
     * @throws TransportTimeoutException     if the cluster did not acknowledge in time (it may still be written)
     * @throws TransportUnavailableException if the cluster refused or cannot be reached
     */
    RecordMetadata write(SubscriptionReport report) {
        return KafkaCalls.write(producer, new ProducerRecord<>(name(settings), null, report.key(), report.encode()),
                "writing the subscription report of worker " + report.worker(), settings, servers);
    }

    /**
     * Forgets a worker: writes its tombstone, so that neither its counters nor its counts are summed any more, and
     * waits for the cluster's acknowledgement.
     *
     * @param worker the worker's name
     * @throws TransportTimeoutException     if the cluster did not acknowledge in time (it may still be written)
     * @throws TransportUnavailableException if the cluster refused or cannot be reached
     */
    void remove(String worker) {
        Objects.requireNonNull(worker, "worker");
        KafkaCalls.write(producer, new ProducerRecord<>(name(settings), null, worker, null),
                "removing the report of worker " + worker, settings, servers);
    }
}
