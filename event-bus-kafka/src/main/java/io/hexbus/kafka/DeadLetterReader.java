package io.hexbus.kafka;

import io.hexbus.api.admin.DeadLetter;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a group's dead-letter topic as it is at the call: every partition from its beginning to its end offsets
 * taken when the call starts, committed records only ({@code read_committed}); records written after that are
 * left for the next call. Each call uses a consumer of its own, with no consumer group, closed before it returns.
 *
 * <p>Thread-safe. Blocks while it reads; fails with a {@link TransportTimeoutException} when the cluster stops
 * answering (no progress within the command timeout), with a {@link TransportUnavailableException} when it cannot
 * be used or the topic does not exist.
 */
final class DeadLetterReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> consumerConfig;
    private final KafkaQueueSettings settings;
    private final String servers;

    /**
     * @param connection where the cluster is
     * @param settings   the topic and the command timeout
     */
    DeadLetterReader(KafkaConnectionSettings connection, KafkaQueueSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.servers = connection.bootstrapServersConfig();
        int timeout = (int) settings.commandTimeout().toMillis();
        Map<String, Object> config = new HashMap<>(connection.clientProperties());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A read must never create the topic, which would then lack compaction and retention.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // A read stops at offsets it knows, so a fetch past them finds nothing: the broker would hold it for the
        // default 500 ms, and closing the consumer waits for it.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        this.consumerConfig = Map.copyOf(config);
    }

    /**
     * Reads the whole topic into an index.
     *
     * @param max    the most entries the index keeps ({@link DeadLetterIndex})
     * @param before keep only dead letters whose last failure is before this, epoch ms; {@link Long#MAX_VALUE} for
     *               all
     * @return the index
     */
    DeadLetterIndex index(int max, long before) {
        DeadLetterIndex index = new DeadLetterIndex(max, before);
        try (Consumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, settings.commandTimeout());
            consumer.seekToBeginning(partitions);
            drain(consumer, end, r -> index.add(r.partition(), r.offset(), r.key(), r.value() == null,
                    DeadLetterTopic.lastFailedAtMillis(r)));
            return index;
        } catch (KafkaException e) {
            throw translate(e);
        }
    }

    /**
     * Reads the dead letters at the entries' places. One whose record is no longer there (compacted away by a
     * later write meanwhile) is missing from the answer.
     *
     * @param entries where they are, from an {@link #index} of this topic
     * @return the dead letters found, by event id
     */
    Map<UUID, DeadLetter> read(Collection<DeadLetterIndex.Entry> entries) {
        Map<UUID, DeadLetter> found = new HashMap<>();
        if (entries.isEmpty()) {
            return found;
        }
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        Set<String> wanted = new HashSet<>();
        for (DeadLetterIndex.Entry entry : entries) {
            TopicPartition tp = new TopicPartition(settings.deadLetterTopic(), entry.partition());
            from.merge(tp, entry.offset(), Math::min);
            end.merge(tp, entry.offset() + 1, Math::max);
            wanted.add(entry.partition() + ":" + entry.offset());
        }
        try (Consumer<String, String> consumer = consumer()) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            drain(consumer, end, r -> {
                if (r.value() != null && wanted.contains(r.partition() + ":" + r.offset())) {
                    DeadLetter deadLetter = DeadLetterTopic.decode(r);
                    found.put(deadLetter.eventId(), deadLetter);
                }
            });
            return found;
        } catch (KafkaException e) {
            throw translate(e);
        }
    }

    private Consumer<String, String> consumer() {
        try {
            return new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        } catch (KafkaException e) {
            throw translate(e);
        }
    }

    private List<TopicPartition> partitions(Consumer<String, String> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(settings.deadLetterTopic(), settings.commandTimeout());
        if (infos == null || infos.isEmpty()) {
            throw new TransportUnavailableException("reading topic " + settings.deadLetterTopic() + ": Kafka at "
                    + servers + " has no such topic", null);
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
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
                throw new TransportTimeoutException("reading topic " + settings.deadLetterTopic() + ": Kafka at "
                        + servers + " sent nothing for " + settings.commandTimeout(), null);
            }
            // Fetch only what is still short of its end: nothing past it is wanted.
            consumer.pause(end.keySet().stream().filter(tp -> !open.contains(tp)).toList());
            for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < end.get(tp)) {
                    sink.accept(record);
                }
            }
        }
    }

    private TransportUnavailableException translate(KafkaException e) {
        String what = "reading topic " + settings.deadLetterTopic() + ": Kafka at " + servers;
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) { // Kafka's, not the JDK's
            return new TransportTimeoutException(what + " did not answer within " + settings.commandTimeout() + ": "
                    + e.getMessage(), e);
        }
        return new TransportUnavailableException(what + ": " + e.getMessage(), e);
    }
}
