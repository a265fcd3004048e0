package io.hexbus.kafka;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryCopiesTest {

    private final UUID event = UUID.randomUUID();

    @Test
    void theSameRetryAtAnotherRecordIsACopyAndTheSameRecordReadAgainIsNot() {
        RetryCopies copies = new RetryCopies(10);

        assertFalse(copies.isCopy(event, 1_000, "retry.4s-0@7"));
        assertFalse(copies.isCopy(event, 1_000, "retry.4s-0@7"), "read again after its partition came back");
        assertTrue(copies.isCopy(event, 1_000, "retry.4s-0@8"), "written twice");
        assertTrue(copies.isCopy(event, 1_000, "retry.16s-0@2"), "a copy that hopped");
    }

    @Test
    void anotherDueTimeOrAnotherEventIsAnotherRetry() {
        RetryCopies copies = new RetryCopies(10);
        copies.isCopy(event, 1_000, "retry.4s-0@7");

        assertFalse(copies.isCopy(event, 5_000, "retry.4s-0@9"), "rescheduled again, or retried from the dead letters");
        assertFalse(copies.isCopy(UUID.randomUUID(), 1_000, "retry.4s-0@10"));
    }

    @Test
    void remembersTheMostRecentRetriesOnly() {
        RetryCopies copies = new RetryCopies(2);
        copies.isCopy(event, 1, "a");
        copies.isCopy(event, 2, "b");
        copies.isCopy(event, 3, "c");

        assertFalse(copies.isCopy(event, 1, "d"), "forgotten: not recognised");
        assertTrue(copies.isCopy(event, 3, "e"));
        assertThrows(IllegalArgumentException.class, () -> new RetryCopies(0));
    }
}
