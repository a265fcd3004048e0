package io.hexbus.outbox;

import io.hexbus.codec.EncodedEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.hexbus.api.publishing.PublishOutcome.DUPLICATE;
import static io.hexbus.api.publishing.PublishOutcome.PUBLISHED;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OutboxBatchTest {

    private static final UUID A = UUID.fromString("00000000-0000-7000-8000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-7000-8000-00000000000b");
    private static final UUID C = UUID.fromString("00000000-0000-7000-8000-00000000000c");

    @Test
    void aRepeatedIdInTheBatchIsInsertedOnceAsItsFirstOccurrence() {
        EncodedEvent first = event(A, "p", "first");
        EncodedEvent other = event(B, "p", "other");
        EncodedEvent again = event(A, "p", "again");

        assertEquals(List.of(first, other), OutboxBatch.firstOfEachId(List.of(first, other, again)));
    }

    @Test
    void theFirstOfAnInsertedIdIsPublishedAndEverythingElseADuplicate() {
        List<EncodedEvent> batch = List.of(event(A, "p", ""), event(B, "p", ""), event(A, "p", ""),
                event(C, "p", ""));

        assertEquals(List.of(PUBLISHED, DUPLICATE, DUPLICATE, PUBLISHED),
                OutboxBatch.outcomes(batch, Set.of(A, C)), "B was already in the table");
    }

    @Test
    void eachDistinctKeyIsLockedOnceAndAnEventKeyedByItsOwnIdIsNot() {
        List<EncodedEvent> batch = List.of(event(A, "parcel-1", ""), event(B, B.toString(), ""),
                event(C, "parcel-1", ""), event(UUID.randomUUID(), "parcel-2", ""));

        assertEquals(List.of("parcel-1", "parcel-2"), OutboxBatch.keysToLock(batch));
    }

    private static EncodedEvent event(UUID id, String orderingKey, String json) {
        return new EncodedEvent(id, "test.event", orderingKey, json);
    }
}
