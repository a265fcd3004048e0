package io.hexbus.outbox;

import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.codec.EncodedEvent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The decisions of one {@code publishAll} to the outbox, apart from the SQL: which rows to insert, which ordering
 * keys to lock, and what each event's outcome is. Pure functions.
 */
final class OutboxBatch {

    private OutboxBatch() {
    }

    /**
     * @param events the batch, encoded, in the order given
     * @return the first event of each id, in that order: a later one of the same id is a duplicate, never inserted
     */
    static List<EncodedEvent> firstOfEachId(List<EncodedEvent> events) {
        Set<UUID> seen = new HashSet<>();
        List<EncodedEvent> rows = new ArrayList<>(events.size());
        for (EncodedEvent event : events) {
            if (seen.add(event.eventId())) {
                rows.add(event);
            }
        }
        return rows;
    }

    /**
     * The ordering keys whose transaction lock the batch takes before it inserts. An event ordered by its own id
     * (the default key) is ordered with nothing else, so it takes none: every lock lives in PostgreSQL's shared
     * lock table until commit, and a batch of many such events would fill it for nothing.
     *
     * @param events the batch, encoded
     * @return its distinct keys that need a lock, in no particular order (the SQL takes them in a stable order)
     */
    static List<String> keysToLock(List<EncodedEvent> events) {
        Set<String> keys = new LinkedHashSet<>();
        for (EncodedEvent event : events) {
            if (!event.orderingKey().equals(event.eventId().toString())) {
                keys.add(event.orderingKey());
            }
        }
        return List.copyOf(keys);
    }

    /**
     * @param events   the batch, encoded, in the order given
     * @param inserted the ids the insert wrote (those already in the table were not)
     * @return per event, in order: {@code PUBLISHED} for the first of an id that was inserted, else {@code DUPLICATE}
     */
    static List<PublishOutcome> outcomes(List<EncodedEvent> events, Set<UUID> inserted) {
        Set<UUID> claimed = new HashSet<>();
        List<PublishOutcome> outcomes = new ArrayList<>(events.size());
        for (EncodedEvent event : events) {
            boolean first = claimed.add(event.eventId());
            outcomes.add(first && inserted.contains(event.eventId()) ? PublishOutcome.PUBLISHED
                    : PublishOutcome.DUPLICATE);
        }
        return List.copyOf(outcomes);
    }
}
