package io.hexbus.outbox;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeyOrderTest {

    private static OutboxRow row(long seq, String key) {
        return new OutboxRow(seq, UUID.randomUUID(), key, "{}");
    }

    private static List<Long> seqs(List<OutboxRow> rows) {
        return rows.stream().map(OutboxRow::seq).toList();
    }

    @Test
    void aBatchHoldingEveryWaitingRowOfItsKeysGoesWhole() {
        List<OutboxRow> batch = List.of(row(1, "a"), row(2, "b"), row(3, "a"), row(4, "b"));

        List<OutboxRow> going = KeyOrder.forwardable(batch, Map.of("a", List.of(1L, 3L), "b", List.of(2L, 4L)));

        assertEquals(List.of(1L, 2L, 3L, 4L), seqs(going));
    }

    @Test
    void aRowWaitsBehindAnEarlierRowOfItsKeyThatIsNotInTheBatchAndSoDoTheRowsBehindIt() {
        // seq 1 of key a waits for its retry (not due) or is locked by another relay: a's later rows wait, b's go.
        List<OutboxRow> batch = List.of(row(2, "b"), row(3, "a"), row(4, "b"), row(5, "a"));

        List<OutboxRow> going = KeyOrder.forwardable(batch, Map.of("a", List.of(1L, 3L, 5L), "b", List.of(2L, 4L)));

        assertEquals(List.of(2L, 4L), seqs(going));
    }

    @Test
    void twoRelaysSplittingOneKeyBySkipLockedForwardOnlyTheHeadOfIt() {
        // Key k has seqs 1..4 waiting; SKIP LOCKED handed relay A {1, 3} and relay B {2, 4}.
        Map<String, List<Long>> waiting = Map.of("k", List.of(1L, 2L, 3L, 4L));

        List<OutboxRow> a = KeyOrder.forwardable(List.of(row(1, "k"), row(3, "k")), waiting);
        List<OutboxRow> b = KeyOrder.forwardable(List.of(row(2, "k"), row(4, "k")), waiting);

        assertEquals(List.of(1L), seqs(a), "A forwards the head; 3 must wait for 2");
        assertEquals(List.of(), seqs(b), "B waits for A's 1 to be sent");
    }

    @Test
    void aBatchCutByItsLimitForwardsTheHeadOfAKeyAndLeavesTheRestForTheNextPass() {
        // The batch's limit cut key k after seq 2; the rows after it are not waiting below the batch's last seq.
        List<OutboxRow> going = KeyOrder.forwardable(List.of(row(1, "k"), row(2, "k")),
                Map.of("k", List.of(1L, 2L)));

        assertEquals(List.of(1L, 2L), seqs(going));
    }

    @Test
    void interleavedKeysAreDecidedEachOnItsOwn() {
        // Another relay holds a's 1 and c's 6; b and d are whole here.
        List<OutboxRow> batch = List.of(row(2, "b"), row(3, "a"), row(4, "c"), row(5, "d"), row(7, "c"), row(8, "b"));
        Map<String, List<Long>> waiting = Map.of("a", List.of(1L, 3L), "b", List.of(2L, 8L),
                "c", List.of(4L, 6L, 7L), "d", List.of(5L));

        List<OutboxRow> going = KeyOrder.forwardable(batch, waiting);

        assertEquals(List.of(2L, 4L, 5L, 8L), seqs(going), "c's 4 goes (nothing earlier), its 7 waits for 6");
    }

    @Test
    void aKeyNotWaitingAnyMoreHoldsNothing() {
        // The rows of the batch are locked, so they are always waiting; an absent key is treated as none.
        assertEquals(List.of(9L), seqs(KeyOrder.forwardable(List.of(row(9, "z")), Map.of())));
    }
}
