package io.hexbus.kafka;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fold of the dead-letter topic's records, without a broker. */
class DeadLetterIndexTest {

    private final UUID a = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();
    private final UUID c = UUID.randomUUID();

    @Test
    void theLatestRecordOfAnIdWinsAndATombstoneRemovesIt() {
        DeadLetterIndex index = new DeadLetterIndex(10, Long.MAX_VALUE);
        index.add(0, 0, a.toString(), false, 100);
        index.add(1, 0, b.toString(), false, 200);
        index.add(0, 1, a.toString(), false, 300);
        index.add(1, 1, b.toString(), true, 0);
        index.add(2, 0, "not-an-id", false, 400);

        assertEquals(List.of(new DeadLetterIndex.Entry(a, 0, 1, 300)), index.newestFirst(0, 10));
        assertEquals(Optional.empty(), index.get(b));
        assertEquals(1, index.total());
    }

    @Test
    void withAFilterOnlyIdsWhoseLatestRecordMatchesAreKeptAndCounted() {
        DeadLetterIndex index = new DeadLetterIndex(2, Long.MAX_VALUE);
        index.add(0, 0, a.toString(), false, 100, true);
        index.add(0, 1, b.toString(), false, 200, true);
        index.add(0, 2, c.toString(), false, 300, true);
        index.add(0, 3, c.toString(), false, 400, false); // c failed again, no longer matching

        assertEquals(List.of(new DeadLetterIndex.Entry(b, 0, 1, 200)), index.newestFirst(0, 10));
        assertEquals(2, index.total(), "b indexed, a left out for room; c no more");
        assertEquals(Optional.empty(), index.get(c));
    }

    @Test
    void pastTheBoundTheOldestAreLeftOutAndCounted() {
        DeadLetterIndex index = new DeadLetterIndex(2, Long.MAX_VALUE);
        index.add(0, 0, b.toString(), false, 200);
        index.add(0, 1, a.toString(), false, 100);
        index.add(0, 2, c.toString(), false, 300);

        assertEquals(List.of(c, b), index.newestFirst(0, 10).stream().map(DeadLetterIndex.Entry::eventId).toList());
        assertEquals(1, index.leftOut());
        assertEquals(3, index.total());
        assertEquals(List.of(b), index.newestFirst(1, 1).stream().map(DeadLetterIndex.Entry::eventId).toList());
    }

    @Test
    void aDeadLetterLeftOutAndThenRemovedOrWrittenAgainIsCountedOnce() {
        DeadLetterIndex index = new DeadLetterIndex(1, Long.MAX_VALUE);
        index.add(0, 0, a.toString(), false, 100);
        index.add(1, 0, b.toString(), false, 200); // a left out
        index.add(2, 0, c.toString(), false, 300); // b left out
        index.add(2, 1, c.toString(), true, 0);
        index.add(0, 1, a.toString(), true, 0);

        assertEquals(java.util.Map.of(b, 1), index.leftOutIds());
        assertEquals(1, index.total());
        assertEquals(0, index.size());
        index.add(1, 1, b.toString(), false, 400);
        assertEquals(List.of(new DeadLetterIndex.Entry(b, 1, 1, 400)), index.newestFirst(0, 10));
        assertEquals(1, index.total());
    }

    @Test
    void withACutOffALaterRecordOfAnOldDeadLetterTakesItOut() {
        long cutOff = Duration.ofDays(1).toMillis();
        DeadLetterIndex index = new DeadLetterIndex(10, cutOff);
        index.add(0, 0, a.toString(), false, cutOff - 1);
        index.add(0, 1, b.toString(), false, cutOff - 1);
        index.add(0, 2, b.toString(), false, cutOff);
        index.add(0, 3, c.toString(), false, cutOff + 1);

        assertEquals(List.of(a), index.oldestFirst().stream().map(DeadLetterIndex.Entry::eventId).toList());
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DeadLetterIndex(0, Long.MAX_VALUE));
    }
}
