package io.hexbus.kafka;

import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one of the transport's topics as it is at the call: partitions up to the end offsets taken when the call
 * starts, committed records only, handing each record to a sink in offset order per partition; records written
 * after that are left for the next call. Each call uses a consumer of its own, with no consumer group, closed before
 * it returns.
 *
 * <p>Thread-safe. Blocks while it reads; fails with a {@link TransportTimeoutException} when the cluster stops
 * answering (no progress within the command timeout), with a {@link TransportUnavailableException} when it cannot
 * be used or the topic does not exist.
 */
final class TopicReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> consumerConfig;
    private final KafkaQueueSettings settings;
    private final String topic;
    private final String servers;

    /**
     * @param connection where the cluster is
     * @param settings   the command timeout
     * @param topic      the topic to read
     * @param extra      consumer settings beyond {@link KafkaCalls#readerConfig}, e.g. a larger poll for small
     *                   records
     */
    TopicReader(KafkaConnectionSettings connection, KafkaQueueSettings settings, String topic,
                Map<String, Object> extra) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.servers = connection.bootstrapServersConfig();
        Map<String, Object> config = KafkaCalls.readerConfig(connection, settings);
        config.putAll(extra);
        this.consumerConfig = Map.copyOf(config);
    }

    /**
     * Reads partitions from their beginning to their end offsets at the call.
     *
     * @param only the partitions to read; empty for all of them
     * @param sink takes each record
     * @throws IllegalArgumentException if a partition asked for is not one of the topic's
     */
    void readToEnd(Collection<Integer> only, java.util.function.Consumer<ConsumerRecord<String, String>> sink) {
        try (Consumer<String, String> consumer = open()) {
            List<TopicPartition> all = partitions(consumer);
            List<TopicPartition> chosen = new ArrayList<>();
            for (int partition : only) {
                if (partition < 0 || partition >= all.size()) {
                    throw new IllegalArgumentException("topic " + topic + " has " + all.size() + " partitions, no "
                            + partition);
                }
                chosen.add(new TopicPartition(topic, partition));
            }
            List<TopicPartition> read = only.isEmpty() ? all : chosen;
            consumer.assign(read);
            Map<TopicPartition, Long> end = consumer.endOffsets(read, settings.commandTimeout());
            consumer.seekToBeginning(read);
            drain(consumer, end, sink);
        } catch (KafkaException e) {
            throw translate(e);
        }
    }

    /**
     * Reads every partition from a position on to its end offset at the call: what was appended since a previous
     * read ended there.
     *
     * @param from per partition, the offset a previous read stopped before (a partition not in it is read from its
     *             beginning); empty for a first read
     * @param sink takes each record
     * @return per partition, the offset this read stopped before (the {@code from} of the next); empty, having read
     *         nothing, when a position given is no longer in its partition (before its first offset, or past its
     *         end): records it did not see are gone, the caller must read again from the beginning
     */
    Optional<Map<Integer, Long>> readFrom(Map<Integer, Long> from,
                                          java.util.function.Consumer<ConsumerRecord<String, String>> sink) {
        try (Consumer<String, String> consumer = open()) {
            List<TopicPartition> all = partitions(consumer);
            consumer.assign(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all, settings.commandTimeout());
            Map<TopicPartition, Long> start = consumer.beginningOffsets(all, settings.commandTimeout());
            Map<Integer, Long> reached = new HashMap<>();
            for (TopicPartition tp : all) {
                Long position = from.get(tp.partition());
                if (position != null && (position < start.get(tp) || position > end.get(tp))) {
                    return Optional.empty();
                }
                consumer.seek(tp, position == null ? start.get(tp) : position);
                reached.put(tp.partition(), end.get(tp));
            }
            drain(consumer, end, sink);
            return Optional.of(Map.copyOf(reached));
        } catch (KafkaException e) {
            throw translate(e);
        }
    }

    /**
     * Reads, from its beginning to its end offset at the call, the one partition that Kafka's default partitioner
     * gives a key (murmur2 of its UTF-8 bytes, modulo the topic's partitions): where a record written with that key
     * and no partition is.
     *
     * @param key  the record key
     * @param sink takes each record of that partition
     */
    void readPartitionOf(String key, java.util.function.Consumer<ConsumerRecord<String, String>> sink) {
        try (Consumer<String, String> consumer = open()) {
            List<TopicPartition> all = partitions(consumer);
            int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % all.size();
            List<TopicPartition> read = List.of(all.get(partition));
            consumer.assign(read);
            Map<TopicPartition, Long> end = consumer.endOffsets(read, settings.commandTimeout());
            consumer.seekToBeginning(read);
            drain(consumer, end, sink);
        } catch (KafkaException e) {
            throw translate(e);
        }
    }

    /**
     * Reads ranges of offsets.
     *
     * @param from  per partition, the first offset to read
     * @param until per partition (the same ones), the offset to stop before
     * @param sink  takes each record
     */
    void readRanges(Map<Integer, Long> from, Map<Integer, Long> until,
                    java.util.function.Consumer<ConsumerRecord<String, String>> sink) {
        if (from.isEmpty()) {
            return;
        }
        try (Consumer<String, String> consumer = open()) {
            Map<TopicPartition, Long> end = new HashMap<>();
            until.forEach((partition, offset) -> end.put(new TopicPartition(topic, partition), offset));
            consumer.assign(end.keySet());
            from.forEach((partition, offset) -> consumer.seek(new TopicPartition(topic, partition), offset));
            drain(consumer, end, sink);
        } catch (KafkaException e) {
            throw translate(e);
        }
    }

    /**
     * Reads ranges of offsets of any partitions, of this reader's topic or others (the topic given at construction
     * then only names the read in messages).
     *
     * @param from  per partition, the first offset to read
     * @param until per partition (the same ones), the offset to stop before
     * @param sink  takes each record
     */
    void readPartitionRanges(Map<TopicPartition, Long> from, Map<TopicPartition, Long> until,
                             java.util.function.Consumer<ConsumerRecord<String, String>> sink) {
        Map<TopicPartition, Long> end = new HashMap<>();
        from.forEach((partition, offset) -> {
            if (offset < until.get(partition)) {
                end.put(partition, until.get(partition));
            }
        });
        if (end.isEmpty()) {
            return;
        }
        try (Consumer<String, String> consumer = open()) {
            consumer.assign(end.keySet());
            end.keySet().forEach(partition -> consumer.seek(partition, from.get(partition)));
            drain(consumer, end, sink);
        } catch (KafkaException e) {
            throw translate(e);
        }
    }

    private Consumer<String, String> open() {
        try {
            return new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        } catch (KafkaException e) {
            throw translate(e);
        }
    }

    /**
     * The topic's partitions. A topic created a moment ago may not be known yet to the broker answering (a cluster's
     * metadata reaches each broker a moment later), so an empty answer is asked again within the command timeout
     * before the topic is taken for missing.
     */
    private List<TopicPartition> partitions(Consumer<String, String> consumer) {
        long deadline = System.nanoTime() + settings.commandTimeout().toNanos();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, settings.commandTimeout());
        while ((infos == null || infos.isEmpty()) && System.nanoTime() - deadline < 0) {
            ExistingTopic.pause();
            infos = consumer.partitionsFor(topic, settings.commandTimeout());
        }
        if (infos == null || infos.isEmpty()) {
            throw new TransportUnavailableException("reading topic " + topic + ": Kafka at " + servers
                    + " has no such topic", null);
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition()))
                .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    /** Polls every partition up to its end offset, handing each record before it to the sink in offset order. */
    private void drain(Consumer<String, String> consumer, Map<TopicPartition, Long> end,
                       java.util.function.Consumer<ConsumerRecord<String, String>> sink) {
        long stalledSince = System.nanoTime();
        Map<TopicPartition, Long> positions = new HashMap<>();
        while (true) {
            Set<TopicPartition> open = new HashSet<>();
            boolean moved = false;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                long position = consumer.position(e.getKey(), settings.commandTimeout());
                moved |= !Objects.equals(positions.put(e.getKey(), position), position);
                if (position < e.getValue()) {
                    open.add(e.getKey());
                }
            }
            if (open.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            if (moved) {
                stalledSince = now;
            } else if (now - stalledSince > settings.commandTimeout().toNanos()) {
                throw new TransportTimeoutException("reading topic " + topic + ": Kafka at " + servers
                        + " sent nothing for " + settings.commandTimeout(), null);
            }
            // Fetch only what is still short of its end: nothing past it is wanted.
            consumer.pause(end.keySet().stream().filter(tp -> !open.contains(tp)).toList());
            for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                    sink.accept(record);
                }
            }
        }
    }

    private TransportUnavailableException translate(KafkaException e) {
        return KafkaCalls.translate(e, "reading topic " + topic, servers);
    }
}
