package io.hexbus.kafka.faults;

import io.hexbus.kafka.KafkaQueueSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * What the group recorded done: the handled ids of its state topic ({@link KafkaQueueSettings#stateTopic()}: key =
 * the event id, value = when the worker acknowledged it, epoch ms), read as a test would read any topic, with a plain
 * consumer of no group. An id is there once the worker that finished its round wrote it, before the offset moved past
 * the event: from then on no subscription of the event may run again. Not thread-safe: the test's thread reads.
 */
final class StateTopicRecords implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions;
    private final Map<UUID, Long> handledAt = new ConcurrentHashMap<>();

    StateTopicRecords(String servers, KafkaQueueSettings settings) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000),
                new StringDeserializer(), new StringDeserializer());
        // As many as the events topic has (co-partitioned): metadata of a topic just created may not list them yet.
        partitions = IntStream.range(0, settings.partitions())
                .mapToObj(partition -> new TopicPartition(settings.stateTopic(), partition)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Reads what was written since the last call, up to the end offsets of now.
     *
     * @return every handled id read so far, with when it was recorded
     */
    Map<UUID, Long> read() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.key() != null && record.value() != null && !record.key().startsWith("key:")) {
                    handledAt.merge(UUID.fromString(record.key()), Long.parseLong(record.value()), Math::min);
                }
            }
        }
        return Map.copyOf(handledAt);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
