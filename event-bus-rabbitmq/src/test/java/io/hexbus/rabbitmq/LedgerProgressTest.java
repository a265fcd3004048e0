package io.hexbus.rabbitmq;

import io.hexbus.rabbitmq.LedgerProgress.Stage;
import io.hexbus.rabbitmq.LedgerRecord.Claim;
import io.hexbus.rabbitmq.LedgerRecord.Outcome;
import io.hexbus.rabbitmq.LedgerRecord.Settle;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LedgerProgress}: the latest round of each event, its name from claims, forgetting as a worker's ledger. */
class LedgerProgressTest {

    private static final String ID = "0190a5b1-c2d3-7000-8000-000000000001";
    private static final String NEXT = "1;0;ok,;;later=1,;later=3600000,;boom";

    private final LedgerProgress fold = new LedgerProgress(60_000, 3);

    @Test
    void followsAnEventThroughItsRounds() {
        fold.apply(new Claim(ID, 0, "m-1", "w", "parcel.shipped"), 1_000);
        assertEquals(Stage.CLAIMED, fold.of(ID).orElseThrow().stage());
        fold.apply(new Settle(ID, 0, Outcome.RETRY, NEXT), 2_000);
        LedgerProgress.Known retrying = fold.of(ID).orElseThrow();
        assertEquals(List.of(Stage.RETRY, NEXT, 2_000L, "parcel.shipped"), List.of(retrying.stage(),
                retrying.retryProgress(), retrying.retrySettledAt(), retrying.eventName()));
        fold.apply(new Settle(ID, 0, Outcome.DONE, null), 2_500); // a takeover's late settle of the same round
        assertEquals(Stage.RETRY, fold.of(ID).orElseThrow().stage(), "the first settle of a round wins");
        fold.apply(new Claim(ID, 1, "m-2", "w"), 3_000);
        LedgerProgress.Known running = fold.of(ID).orElseThrow();
        assertEquals(List.of(Stage.CLAIMED, 1, NEXT, "parcel.shipped"), List.of(running.stage(), running.round(),
                running.retryProgress(), running.eventName()), "its progress and name are kept while it runs");
        fold.apply(new Settle(ID, 1, Outcome.DONE, null), 4_000);
        assertEquals(Stage.DONE, fold.of(ID).orElseThrow().stage());
        fold.apply(new Claim(ID, 0, "m-1-copy", "w2"), 4_500);
        assertEquals(Stage.DONE, fold.of(ID).orElseThrow().stage(), "an earlier round's claim changes nothing");
        assertEquals(Optional.empty(), fold.of("0190a5b1-c2d3-7000-8000-000000000009"));
    }

    @Test
    void aDeadLettersRetryIsTheEventsNewestLineageWithFreshProgress() {
        fold.apply(new Claim(ID, 0, "m-1", "w", "parcel.shipped"), 1_000);
        fold.apply(new Settle(ID, 0, Outcome.RETRY, NEXT), 2_000);
        fold.apply(new Settle(ID, 1, Outcome.DEAD, null), 3_000);
        assertEquals(Stage.DEAD, fold.of(ID).orElseThrow().stage());
        fold.apply(new Claim(ID + "/r-1", 0, "m-3", "w", "parcel.shipped"), 4_000);
        LedgerProgress.Known retried = fold.of(ID).orElseThrow();
        assertEquals(List.of(Stage.CLAIMED, ID + "/r-1"), List.of(retried.stage(), retried.lineage()));
        assertTrue(retried.deadLetterRetry());
        assertNull(retried.retryProgress(), "the first lineage's progress is not the retry's");
        fold.apply(new Settle(ID, 1, Outcome.DONE, null), 5_000);
        assertEquals(ID + "/r-1", fold.of(ID).orElseThrow().lineage(), "a late record of the first lineage is a copy");
    }

    @Test
    void forgetsAWindowAfterTheFirstRecordAndPastTheMostRemembered() {
        fold.apply(new Claim("a", 0, "m-a"), 0);
        fold.apply(new Claim("b", 0, "m-b"), 10_000);
        fold.apply(new Claim("a", 1, "m-a2"), 59_000);
        fold.apply(new LedgerRecord.Sync("s"), 60_000);
        assertEquals(Optional.empty(), fold.of("a"), "a window after its first record");
        fold.apply(new Claim("c", 0, "m-c"), 60_001);
        fold.apply(new Claim("d", 0, "m-d"), 60_002);
        fold.apply(new Claim("e", 0, "m-e"), 60_003);
        assertEquals(3, fold.size());
        assertEquals(Optional.empty(), fold.of("b"), "past the most remembered, oldest first");
        assertThrows(IllegalArgumentException.class, () -> new LedgerProgress(0, 1));
    }
}
