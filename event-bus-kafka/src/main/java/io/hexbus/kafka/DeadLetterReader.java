package io.hexbus.kafka;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterFilter;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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

    private final TopicReader reader;

    /**
     * @param connection where the cluster is
     * @param settings   the topic and the command timeout
     */
    DeadLetterReader(KafkaConnectionSettings connection, KafkaQueueSettings settings) {
        Objects.requireNonNull(settings, "settings");
        this.reader = new TopicReader(connection, settings, settings.deadLetterTopic(), Map.of());
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
        reader.readToEnd(List.of(), r -> index.add(r.partition(), r.offset(), r.key(), r.value() == null,
                DeadLetterTopic.lastFailedAtMillis(r)));
        return index;
    }

    /**
     * Reads the whole topic into an index of the dead letters that match a filter, judged by their latest record's
     * headers (the envelope is not kept).
     *
     * @param max    the most matching entries the index keeps ({@link DeadLetterIndex})
     * @param before keep only dead letters whose last failure is before this, epoch ms; {@link Long#MAX_VALUE} for
     *               all
     * @param filter which dead letters
     * @return the index; its total counts the matching dead letters
     */
    DeadLetterIndex index(int max, long before, DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        if (filter.matchesAll()) {
            return index(max, before);
        }
        DeadLetterIndex index = new DeadLetterIndex(max, before);
        reader.readToEnd(List.of(), r -> index.add(r.partition(), r.offset(), r.key(), r.value() == null,
                DeadLetterTopic.lastFailedAtMillis(r), r.value() != null && matches(filter, r)));
        return index;
    }

    /**
     * Reads only the partition an event id's dead letter is written to (Kafka's default partitioner, as
     * {@link DeadLetterTopic#record} leaves it): after the topic's partitions were changed by hand, an older dead
     * letter of that id may be in another and is not found.
     *
     * @param eventId an event id
     * @return its dead letter, if that partition holds one
     */
    Optional<DeadLetter> find(UUID eventId) {
        String key = eventId.toString();
        DeadLetter[] latest = new DeadLetter[1];
        reader.readPartitionOf(key, r -> {
            if (key.equals(r.key())) {
                latest[0] = r.value() == null ? null : DeadLetterTopic.decode(r);
            }
        });
        return Optional.ofNullable(latest[0]);
    }

    private static boolean matches(DeadLetterFilter filter, ConsumerRecord<String, String> record) {
        try {
            return filter.matches(DeadLetterTopic.decode(record));
        } catch (IllegalArgumentException notAnEventId) {
            return false; // the index ignores it anyway
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
        Map<Integer, Long> from = new HashMap<>();
        Map<Integer, Long> until = new HashMap<>();
        Set<String> wanted = new HashSet<>();
        for (DeadLetterIndex.Entry entry : entries) {
            from.merge(entry.partition(), entry.offset(), Math::min);
            until.merge(entry.partition(), entry.offset() + 1, Math::max);
            wanted.add(entry.partition() + ":" + entry.offset());
        }
        reader.readRanges(from, until, r -> {
            if (r.value() != null && wanted.contains(r.partition() + ":" + r.offset())) {
                DeadLetter deadLetter = DeadLetterTopic.decode(r);
                found.put(deadLetter.eventId(), deadLetter);
            }
        });
        return found;
    }
}
