package io.hexbus.rabbitmq;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterFilter;
import io.hexbus.api.admin.DeadLetterPage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link DeadLetterFold} without a broker: the records of a dead-letter stream applied in order. */
class DeadLetterFoldTest {

    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private static final UUID C = UUID.randomUUID();

    @Test
    void listsNewestFirstByLastFailureThenByTheLaterRecord() {
        DeadLetterFold fold = new DeadLetterFold(Long.MIN_VALUE, 100);
        fold.apply(0, dead(A, 2_000));
        fold.apply(1, dead(B, 1_000));
        fold.apply(2, dead(C, 2_000));
        assertEquals(List.of(C, A, B), ids(fold.page(0, 10)));
        assertEquals(List.of(A), ids(fold.page(1, 1)));
        assertEquals(List.of(), ids(fold.page(3, 10)));
        assertEquals(3, fold.page(2, 1).total());
        assertEquals(2, fold.page(2, 1).offset());
        assertEquals(List.of(B, A, C), fold.oldestFirst().stream().map(k -> k.letter().eventId()).toList());
        assertThrows(IllegalArgumentException.class, () -> fold.page(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> fold.page(0, 0));
        assertThrows(IllegalArgumentException.class, () -> fold.page(0, DeadLetterPage.MAX_LIMIT + 1));
    }

    @Test
    void aLaterDeadLetterOfAnIdReplacesTheEarlier() {
        DeadLetterFold fold = new DeadLetterFold(Long.MIN_VALUE, 100);
        fold.apply(0, dead(A, 5_000));
        fold.apply(1, dead(B, 2_000));
        fold.apply(2, dead(A, 1_000));
        assertEquals(2, fold.total());
        assertEquals(Optional.of(Instant.ofEpochMilli(1_000)), fold.get(A).map(DeadLetter::lastFailedAt));
        assertEquals(2, fold.kept(A).orElseThrow().offset());
        assertEquals(List.of(B, A), ids(fold.page(0, 10)));
    }

    @Test
    void aRemovalOrRetryDeletesOnlyTheRecordItIsAimedAt() {
        DeadLetterFold fold = new DeadLetterFold(Long.MIN_VALUE, 100);
        fold.apply(0, dead(A, 1_000));
        fold.apply(1, dead(B, 1_000));
        fold.apply(2, new DeadLetterLog.Retried(A, 0));
        fold.apply(3, new DeadLetterLog.Removed(B, 1));
        assertEquals(0, fold.total());

        fold.apply(4, dead(A, 3_000)); // the retry failed again
        fold.apply(5, new DeadLetterLog.Retried(A, 0)); // a second admin's late record of the first retry
        fold.apply(6, new DeadLetterLog.Removed(A, 0));
        fold.apply(7, new DeadLetterLog.Removed(C, 0)); // never dead-lettered
        assertEquals(Optional.of(4L), fold.kept(A).map(DeadLetterFold.Kept::offset));
        assertEquals(1, fold.total());
    }

    @Test
    void cleaningDeletesWhatFailedBeforeItsTimeAndWasWrittenBeforeIt() {
        DeadLetterFold fold = new DeadLetterFold(Long.MIN_VALUE, 100);
        fold.apply(0, dead(A, 1_000));
        fold.apply(1, dead(B, 2_000));
        fold.apply(2, dead(C, 3_000));
        assertEquals(2, fold.countFailedBefore(3_000));
        fold.apply(3, new DeadLetterLog.Cleaned(3_000));
        assertEquals(List.of(C), ids(fold.page(0, 10)));
        fold.apply(4, dead(A, 1_000)); // written after the cleaning: stays
        assertEquals(List.of(C, A), ids(fold.page(0, 10)));
        assertEquals(0, fold.countFailedBefore(1_000));
    }

    @Test
    void pastTheBoundTheOldestAreLeftOutButCountedRemovedAndCleaned() {
        DeadLetterFold fold = new DeadLetterFold(Long.MIN_VALUE, 2);
        UUID d = UUID.randomUUID();
        fold.apply(0, dead(A, 1_000));
        fold.apply(1, dead(B, 2_000));
        fold.apply(2, dead(C, 3_000));
        fold.apply(3, dead(d, 4_000));
        assertEquals(List.of(d, C), ids(fold.page(0, 10)));
        assertEquals(4, fold.page(0, 10).total());
        assertEquals(Optional.empty(), fold.get(A), "left out");
        assertEquals(List.of(C, d), fold.oldestFirst().stream().map(k -> k.letter().eventId()).toList());

        fold.apply(4, new DeadLetterLog.Removed(A, 0));
        fold.apply(5, new DeadLetterLog.Removed(B, 0)); // aimed at another record: stays
        assertEquals(3, fold.total());
        assertEquals(2, fold.countFailedBefore(3_001));
        fold.apply(6, new DeadLetterLog.Cleaned(3_001));
        assertEquals(List.of(d), ids(fold.page(0, 10)));
        assertEquals(1, fold.total());
        assertThrows(IllegalArgumentException.class, () -> new DeadLetterFold(0, 0));
    }

    @Test
    void deadLettersPastTheRetentionAreNotListed() {
        DeadLetterFold fold = new DeadLetterFold(2_000, 100);
        fold.apply(0, dead(A, 1_000));
        fold.apply(1, dead(B, 2_000));
        fold.apply(2, dead(C, 2_001));
        assertEquals(List.of(C), ids(fold.page(0, 10)));
        assertEquals(Optional.empty(), fold.get(A));
        fold.apply(3, dead(C, 1_500)); // a replacement past the retention removes the earlier one too
        assertEquals(0, fold.total());
    }

    @Test
    void theRetryIdIsTheRecordsOwn() {
        DeadLetterFold one = new DeadLetterFold(Long.MIN_VALUE, 100);
        DeadLetterFold other = new DeadLetterFold(Long.MIN_VALUE, 100);
        for (DeadLetterFold fold : List.of(one, other)) {
            fold.apply(7, dead(A, 1_000));
        }
        String retryId = one.kept(A).orElseThrow().retryId();
        assertEquals("7-1000", retryId);
        assertEquals(retryId, other.kept(A).orElseThrow().retryId(), "two admins reading one record agree");
        one.apply(8, dead(A, 1_000));
        assertNotEquals(retryId, one.kept(A).orElseThrow().retryId(), "a new dead letter is a new retry");
    }

    @Test
    void aFilteredPageHoldsOnlyItsItemsAndCountsEveryMatch() {
        DeadLetterFold fold = new DeadLetterFold(Long.MIN_VALUE, 100);
        UUID d = UUID.randomUUID();
        fold.apply(0, dead(A, 1_000));
        fold.apply(1, dead(B, 2_000, "parcel.shipped", "Template missing"));
        fold.apply(2, dead(C, 3_000));
        fold.apply(3, dead(d, 4_000, "parcel.shipped", "template MISSING"));
        DeadLetterFilter shipped = DeadLetterFilter.ANY.withEventName("parcel.shipped");

        DeadLetterPage second = fold.page(shipped, 1, 1);
        assertEquals(List.of(B), ids(second));
        assertEquals(2, second.total());
        assertEquals(1, second.offset());
        assertEquals(List.of(d, B), ids(fold.page(DeadLetterFilter.ANY.withErrorContaining("template missing"), 0,
                10)));
        assertEquals(List.of(), ids(fold.page(shipped, 2, 10)));
        assertEquals(2, fold.page(shipped, 2, 10).total());
        assertEquals(4, fold.page(DeadLetterFilter.ANY, 0, 1).total());
        assertEquals(List.of(B, d), fold.oldestFirst(shipped).stream().map(k -> k.letter().eventId()).toList());
        assertThrows(IllegalArgumentException.class, () -> fold.page(shipped, 0, 0));
    }

    @Test
    void aFoldKeptBetweenReadsMovesItsRetentionOn() {
        DeadLetterFold fold = new DeadLetterFold(Long.MIN_VALUE, 1);
        fold.apply(0, dead(A, 1_000));
        fold.apply(1, dead(B, 2_000)); // A left out past the bound
        fold.apply(2, dead(C, 3_000)); // B left out too
        assertEquals(3, fold.total());

        fold.expire(2_000);
        assertEquals(1, fold.total(), "A and B failed last at or before it, kept whole or not");
        fold.expire(1_000);
        assertEquals(List.of(C), ids(fold.page(0, 10)), "an earlier time changes nothing");
        fold.apply(3, dead(A, 1_500));
        assertEquals(Optional.empty(), fold.get(A), "a record applied later past the retention is left out too");
    }

    @Test
    void aFoldWithoutEnvelopesKeepsTheRestOfEachDeadLetter() {
        DeadLetterFold fold = new DeadLetterFold(Long.MIN_VALUE, 100, false);
        fold.apply(0, dead(A, 1_000));
        DeadLetter letter = fold.get(A).orElseThrow();
        assertEquals("", letter.envelope());
        assertEquals("boom", letter.lastError());
        assertEquals(List.of("billing"), letter.failedSubscriptions());
        assertEquals(3, letter.attempts());
    }

    @Test
    void countsWhatDidNotDecode() {
        DeadLetterFold fold = new DeadLetterFold(Long.MIN_VALUE, 100);
        fold.skipUndecodable();
        fold.skipUndecodable();
        assertEquals(2, fold.undecodable());
        assertEquals(0, fold.total());
    }

    static DeadLetterLog.DeadLettered dead(UUID id, long lastFailedAt) {
        return dead(id, lastFailedAt, "order.placed", "boom");
    }

    private static DeadLetterLog.DeadLettered dead(UUID id, long lastFailedAt, String name, String error) {
        return new DeadLetterLog.DeadLettered(new DeadLetter(id, name, List.of("billing"), 3, error,
                Instant.ofEpochMilli(lastFailedAt - 10), Instant.ofEpochMilli(lastFailedAt), "{\"id\":\"" + id + "\"}"));
    }

    private static List<UUID> ids(DeadLetterPage page) {
        return page.items().stream().map(DeadLetter::eventId).toList();
    }
}
