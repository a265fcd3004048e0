package io.hexbus.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TakeoverLedger} without a broker: what a worker commits is what the next owner reads as taken over, a
 * graceful end commits nothing to take over, and each takeover adds one to the count an event carries.
 */
class TakeoverLedgerTest {

    @Test
    void recordsWithTheEngineAreCommittedRelativeToTheOffsetAndReadBackByTheNextOwner() {
        TakeoverLedger ledger = new TakeoverLedger(Map.of());
        ledger.handOut(100, 0);
        ledger.handOut(103, 2); // a retry record whose progress counts 2 takeovers

        String metadata = ledger.metadata(100).text();

        assertEquals(TakeoverLedger.PREFIX + "0:0,3:2", metadata);
        assertEquals(Map.of(100L, 0, 103L, 2), TakeoverLedger.decode(metadata, 100));
    }

    @Test
    void consecutiveRecordsWithOneCountAreOneRunSoAThousandHeldRecordsTakeAFewCharacters() {
        TakeoverLedger ledger = new TakeoverLedger(Map.of());
        for (long offset = 100; offset < 1_100; offset++) {
            ledger.handOut(offset, offset == 600 ? 1 : 0);
        }
        ledger.settled(700);

        String metadata = ledger.metadata(100).text();

        assertEquals(TakeoverLedger.PREFIX + "0+499:0,500:1,501+98:0,601+398:0", metadata);
        Map<Long, Integer> read = TakeoverLedger.decode(metadata, 100);
        assertEquals(999, read.size());
        assertEquals(1, read.get(600L));
        assertFalse(read.containsKey(700L));
    }

    @Test
    void anEarlierWorkersOneEntryPerOffsetMetadataIsStillRead() {
        assertEquals(Map.of(100L, 0, 103L, 2), TakeoverLedger.decode(TakeoverLedger.PREFIX_V1 + "0:0,3:2", 100));
        assertEquals(Map.of(), TakeoverLedger.decode(TakeoverLedger.PREFIX_V1 + "0+3:0", 100),
                "runs are version 2's");
    }

    @Test
    void runsBeyondWhatAWorkerCanHoldAreMalformedNotAReasonToFillMemory() {
        assertEquals(Map.of(), TakeoverLedger.decode(TakeoverLedger.PREFIX + "0+999999999:0", 0));
        assertEquals(Map.of(), TakeoverLedger.decode(TakeoverLedger.PREFIX + "0+60000:0,60001+60000:0", 0));
        assertEquals(Map.of(), TakeoverLedger.decode(TakeoverLedger.PREFIX + "0+-2:0", 0));
    }

    @Test
    void everyRecordAWorkerHoldsByDefaultFitsOnePartitionsLedgerEvenWithSomeTakenOver() {
        // A retry tier's partition: records of mixed takeover counts, each count a run of its own.
        KafkaWorkerSettings defaults = KafkaWorkerSettings.defaults();
        int held = defaults.engine().readAhead() + defaults.engine().concurrency();
        TakeoverLedger ledger = new TakeoverLedger(Map.of());
        for (int i = 0; i < held; i++) {
            ledger.handOut(1_000 + i, i % 10 == 0 ? 3 : 0); // all in one partition, one in ten taken over 3 times
        }

        String metadata = ledger.metadata(1_000).text();

        assertTrue(metadata.length() <= TakeoverLedger.MAX_CHARS, metadata.length() + " characters");
        assertEquals(held, TakeoverLedger.decode(metadata, 1_000).size(), "none left out");
    }

    @Test
    void everyRecordAWorkerHoldsByDefaultFitsOnePartitionsLedgerWithHolesWhereHandlersFinishedOutOfOrder() {
        // Outside a recovery (which holds no more than the handler slots) an events partition's records are listed
        // with no takeovers: one run, cut where records above the lowest unsettled one finished first.
        KafkaWorkerSettings defaults = KafkaWorkerSettings.defaults();
        int held = defaults.engine().readAhead() + defaults.engine().concurrency();
        TakeoverLedger ledger = new TakeoverLedger(Map.of());
        for (int i = 0; i < held + 200; i++) {
            ledger.handOut(1_000 + i, 0); // all in one partition
        }
        for (int i = 0; i < 400; i += 2) {
            ledger.settled(1_000 + i); // 200 finished out of order among the first 400
        }

        String metadata = ledger.metadata(1_000).text();

        assertTrue(metadata.length() <= TakeoverLedger.MAX_CHARS, metadata.length() + " characters");
        assertEquals(held, TakeoverLedger.decode(metadata, 1_000).size(), "none left out");
    }

    @Test
    void anInheritedRecordHandedOutAgainIsATakeoverCountedOnceMore() {
        TakeoverLedger ledger = new TakeoverLedger(Map.of(100L, 0, 101L, 4));

        TakeoverLedger.HandOut first = ledger.handOut(100, 0);
        TakeoverLedger.HandOut second = ledger.handOut(101, 1);
        TakeoverLedger.HandOut fresh = ledger.handOut(102, 0);

        assertTrue(first.takenOver());
        assertEquals(1, first.takeovers());
        assertTrue(second.takenOver());
        assertEquals(5, second.takeovers(), "the earlier owner's count wins over the record's older one");
        assertFalse(fresh.takenOver());
        assertEquals(0, fresh.takeovers());
        assertEquals(Map.of(100L, 1, 101L, 5, 102L, 0),
                TakeoverLedger.decode(ledger.metadata(100).text(), 100), "a crash now counts them once more");
    }

    @Test
    void aLedgerInheritsUntilEveryEarlierOwnersRecordIsSettledOrWaitsBehindItsKeysRetry() {
        TakeoverLedger ledger = new TakeoverLedger(Map.of(100L, 0, 101L, 2));
        assertTrue(ledger.inherits());

        ledger.handOut(100, 0);
        ledger.settled(100);
        assertTrue(ledger.inherits(), "101 is left");
        ledger.defer(101);
        assertFalse(ledger.inherits(), "101 waits behind its key's retry");
        assertEquals(Map.of(101L, 2), TakeoverLedger.decode(ledger.metadata(100).text(), 100),
                "still listed: a crash now leaves it to the next owner as it was");
        ledger.defer(102); // never inherited: nothing to defer
        assertFalse(ledger.inherits());
        assertFalse(new TakeoverLedger(Map.of()).inherits());
    }

    @Test
    void settledRecordsAreNotCommittedSoAGracefulEndLeavesNothingToTakeOver() {
        TakeoverLedger ledger = new TakeoverLedger(Map.of(100L, 0));
        ledger.handOut(100, 0);
        ledger.handOut(101, 0);

        ledger.settled(101);
        ledger.settled(100);

        assertEquals(TakeoverLedger.PREFIX, ledger.metadata(102).text());
        assertEquals(Map.of(), TakeoverLedger.decode(ledger.metadata(102).text(), 102));
    }

    @Test
    void inheritedRecordsNotReadYetStayForTheNextOwnerAndThoseBelowTheCommitAreForgotten() {
        TakeoverLedger ledger = new TakeoverLedger(Map.of(5L, 1, 9L, 0));

        assertEquals(Map.of(9L, 0), TakeoverLedger.decode(ledger.metadata(6).text(), 6),
                "5 is below the committed offset: settled (skipped) since");
    }

    @Test
    void aWithdrawnHandOutStaysInheritedWithItsEarlierCount() {
        TakeoverLedger ledger = new TakeoverLedger(Map.of(7L, 2));
        ledger.handOut(7, 0);
        ledger.handOut(8, 0);

        ledger.withdraw(7);
        ledger.withdraw(8);

        assertEquals(Map.of(7L, 2), TakeoverLedger.decode(ledger.metadata(7).text(), 7));
        assertEquals(0, ledger.withEngine());
    }

    @Test
    void aHandOutGoesToTheEngineOnlyOnceTheVersionListingItIsCommitted() {
        TakeoverLedger ledger = new TakeoverLedger(Map.of());
        TakeoverLedger.HandOut handOut = ledger.handOut(1, 0);
        assertFalse(ledger.isCommitted(handOut.version()));
        assertTrue(ledger.changedSinceSent());

        TakeoverLedger.Snapshot snapshot = ledger.metadata(1);
        ledger.sent(snapshot.version());
        assertFalse(ledger.changedSinceSent(), "on its way: not sent again");
        TakeoverLedger.HandOut later = ledger.handOut(2, 0);
        assertTrue(ledger.changedSinceSent());
        ledger.committed(snapshot.version());

        assertTrue(ledger.isCommitted(handOut.version()));
        assertFalse(ledger.isCommitted(later.version()), "handed out after the snapshot was taken");
    }

    @Test
    void aCommitThatFailedIsSentAgain() {
        TakeoverLedger ledger = new TakeoverLedger(Map.of());
        TakeoverLedger.HandOut handOut = ledger.handOut(1, 0);
        ledger.sent(ledger.metadata(1).version());

        ledger.unsent();

        assertTrue(ledger.changedSinceSent());
        assertFalse(ledger.isCommitted(handOut.version()));
    }

    @Test
    void metadataStaysWithinItsBoundLeavingOutTheHighestOffsets() {
        TakeoverLedger ledger = new TakeoverLedger(Map.of());
        for (long offset = 0; offset < 2_000; offset++) {
            ledger.handOut(offset * 1_000_000, 0); // no two consecutive: no run
        }

        String metadata = ledger.metadata(0).text();

        assertTrue(metadata.length() <= TakeoverLedger.MAX_CHARS, "length " + metadata.length());
        Map<Long, Integer> read = TakeoverLedger.decode(metadata, 0);
        assertTrue(read.containsKey(0L));
        assertFalse(read.containsKey(1_999_000_000L));
    }

    @Test
    void metadataThatIsNotTheLedgersIsNoEntry() {
        assertEquals(Map.of(), TakeoverLedger.decode(null, 3));
        assertEquals(Map.of(), TakeoverLedger.decode("", 3));
        assertEquals(Map.of(), TakeoverLedger.decode("someone else's", 3));
        assertEquals(Map.of(), TakeoverLedger.decode(TakeoverLedger.PREFIX + "1:x", 3));
        assertEquals(Map.of(), TakeoverLedger.decode(TakeoverLedger.PREFIX + "-1:0", 3));
        assertEquals(Map.of(), TakeoverLedger.decode(TakeoverLedger.PREFIX + "12", 3));
    }

    @Test
    void awaitSettledReturnsOnceTheEngineSettledEverythingOrAtTheDeadline() throws Exception {
        TakeoverLedger ledger = new TakeoverLedger(Map.of());
        ledger.handOut(1, 0);
        assertFalse(ledger.awaitSettled(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)));

        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return ledger.awaitSettled(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        ledger.settled(1);

        assertTrue(waiting.get(30, TimeUnit.SECONDS));
    }
}
