package io.hexbus.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Tells a copy of a retry record from the record itself. A reschedule whose write is tried again (its answer was
 * lost: the write may have been applied) writes the same retry twice; both copies carry the event's progress as it
 * was, so each would run again the subscriptions the other finishes. A retry is known by its event id and its due
 * time (a hop keeps both; a new reschedule or a dead-letter retry has a new due time), and a copy is the same retry
 * at another record (topic, partition and offset): a record read again, after its partition came back, is not one.
 *
 * <p>Bounded: the most recent {@code capacity} retries handed out are remembered; a copy read after its original
 * was forgotten, or by another worker (after a rebalance), is not recognised here, and runs (its event's handled id
 * stops it once the original finished the event). Not thread-safe: the fetch thread's.
 */
final class RetryCopies {

    private final Map<String, String> recordOfRetry;

    /**
     * @param capacity how many retries handed out are remembered, at least 1
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    RetryCopies(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.recordOfRetry = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * Notes a retry about to be handed out, unless it is a copy.
     *
     * @param eventId     the retry's event
     * @param dueAtMillis its due time
     * @param record      the record it was read from, e.g. {@code topic-partition@offset}
     * @return true if the same retry was handed out from another record (drop this one), false if it is new or
     *         the same record read again (hand it out)
     */
    boolean isCopy(UUID eventId, long dueAtMillis, String record) {
        Objects.requireNonNull(record, "record");
        String retry = eventId + "@" + dueAtMillis;
        String earlier = recordOfRetry.putIfAbsent(retry, record);
        return earlier != null && !earlier.equals(record);
    }
}
