package io.hexbus.kafka;

import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a group's stats topic ({@link StatsTopic}) as it is at the call, folded into {@link WorkerReports.Totals}:
 * every partition from its beginning to its end offsets taken when the call starts, committed records only
 * ({@code read_committed}). Each call uses a consumer of its own, with no consumer group, closed before it returns.
 *
 * <p>Thread-safe. Blocks while it reads; fails with a {@link TransportTimeoutException} when the cluster stops
 * answering (no progress within the command timeout), with a {@link TransportUnavailableException} when it cannot
 * be used or the topic does not exist. A record that does not decode never fails a read: it is skipped and counted.
 */
final class StatsReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> consumerConfig;
    private final KafkaQueueSettings settings;
    private final String servers;
    private final String topic;

    /**
     * @param connection where the cluster is
     * @param settings   the topic and the command timeout
     */
    StatsReader(KafkaConnectionSettings connection, KafkaQueueSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.servers = connection.bootstrapServersConfig();
        this.topic = StatsTopic.name(settings);
        int timeout = (int) settings.commandTimeout().toMillis();
        Map<String, Object> config = new HashMap<>(connection.clientProperties());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A read must never create the topic, which would then lack compaction.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // A read stops at offsets it knows: a fetch past them would be held by the broker for the default 500 ms.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        this.consumerConfig = Map.copyOf(config);
    }

    /**
     * Reads the whole topic and sums it.
     *
     * @param nowMillis now, epoch ms, on the reader's clock
     * @param staleness how old a report may be for its running and held counts to count; positive
     * @return the totals ({@link WorkerReports#totals})
     */
    WorkerReports.Totals read(long nowMillis, Duration staleness) {
        WorkerReports reports = new WorkerReports();
        try (Consumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, settings.commandTimeout());
            consumer.seekToBeginning(partitions);
            drain(consumer, end, reports);
        } catch (KafkaException e) {
            throw translate(e);
        }
        return reports.totals(nowMillis, staleness);
    }

    private Consumer<String, String> consumer() {
        try {
            return new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        } catch (KafkaException e) {
            throw translate(e);
        }
    }

    private List<TopicPartition> partitions(Consumer<String, String> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, settings.commandTimeout());
        if (infos == null || infos.isEmpty()) {
            throw new TransportUnavailableException("reading topic " + topic + ": Kafka at " + servers
                    + " has no such topic", null);
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    /** Polls every partition up to its end offset, folding each record before it in offset order. */
    private void drain(Consumer<String, String> consumer, Map<TopicPartition, Long> end, WorkerReports reports) {
        long stalledSince = System.nanoTime();
        Map<TopicPartition, Long> positions = new HashMap<>();
        while (true) {
            List<TopicPartition> done = new ArrayList<>();
            boolean moved = false;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                long position = consumer.position(e.getKey(), settings.commandTimeout());
                moved |= !Objects.equals(positions.put(e.getKey(), position), position);
                if (position >= e.getValue()) {
                    done.add(e.getKey());
                }
            }
            if (done.size() == end.size()) {
                return;
            }
            long now = System.nanoTime();
            if (moved) {
                stalledSince = now;
            } else if (now - stalledSince > settings.commandTimeout().toNanos()) {
                throw new TransportTimeoutException("reading topic " + topic + ": Kafka at " + servers
                        + " sent nothing for " + settings.commandTimeout(), null);
            }
            consumer.pause(done); // fetch only what is still short of its end: nothing past it is wanted
            for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                    reports.add(record.key(), record.value());
                }
            }
        }
    }

    private TransportUnavailableException translate(KafkaException e) {
        String what = "reading topic " + topic + ": Kafka at " + servers;
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) { // Kafka's, not the JDK's
            return new TransportTimeoutException(what + " did not answer within " + settings.commandTimeout() + ": "
                    + e.getMessage(), e);
        }
        return new TransportUnavailableException(what + ": " + e.getMessage(), e);
    }
}
