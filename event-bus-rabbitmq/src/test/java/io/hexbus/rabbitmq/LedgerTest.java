package io.hexbus.rabbitmq;

import io.hexbus.rabbitmq.Ledger.Verdict;
import io.hexbus.rabbitmq.LedgerRecord.Claim;
import io.hexbus.rabbitmq.LedgerRecord.Outcome;
import io.hexbus.rabbitmq.LedgerRecord.Settle;
import io.hexbus.rabbitmq.LedgerRecord.Sync;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fold of the ledger: every rule of docs/rabbitmq-transport.md's "The ledger", and its bounds. */
class LedgerTest {

    private static final long WINDOW = 60_000;
    private static final long T0 = 1_700_000_000_000L;
    private static final String PROGRESS = "1;0;;;a=1,;a=1000,;boom";
    private static final Verdict OWNED = new Verdict.Owned();
    private static final Verdict UNCLAIMED = new Verdict.Unclaimed();
    private static final Verdict SUPERSEDED = new Verdict.Finished(Outcome.RETRY);

    private final Ledger ledger = new Ledger(WINDOW, 1000);

    @Test
    void aClaimsOwnerIsKnownWhileTheRoundIsOnlyClaimedAndAliveForALeaseAfterItsLastRecordWasRead() {
        long lease = 30_000;
        long read = 5_000_000_000L;
        ledger.apply(new Claim("e1", 0, "m1", "worker-a"), T0, read);
        ledger.apply(new Claim("e2", 0, "m2"), T0, read);

        assertEquals("worker-a", ledger.owner("e1", 0));
        assertEquals(null, ledger.owner("e1", 1), "another round");
        assertEquals(null, ledger.owner("e2", 0), "a claim naming no owner");
        assertEquals(true, ledger.alive("worker-a", read + 29_999_999_999L, lease));
        assertEquals(false, ledger.alive("worker-a", read + 30_000_000_000L, lease), "silent for a whole lease");
        assertEquals(false, ledger.alive("worker-b", read, lease), "never read from");

        ledger.apply(new LedgerRecord.Alive("worker-a", List.of()), T0 + 20_000, read + 20_000_000_000L);
        assertEquals(true, ledger.alive("worker-a", read + 49_000_000_000L, lease), "its heartbeat renewed it");

        ledger.apply(new Settle("e1", 0, Outcome.DONE, null), T0 + 1);
        assertEquals(null, ledger.owner("e1", 0), "settled: nobody's any more");
    }

    @Test
    void aClaimIsHeldWhileItsLiveClaimerListsItOrHasNotBeatSinceTheClaim() {
        long lease = 30_000;
        long read = 5_000_000_000L;
        ledger.apply(new Claim("running", 0, "m1", "worker-a"), T0, read);
        ledger.apply(new Claim("let-go", 0, "m2", "worker-a"), T0, read);
        ledger.apply(new Claim("unowned", 0, "m3"), T0, read);

        assertEquals(true, ledger.claimHeld("running", 0, read, lease), "no heartbeat since the claim");
        assertEquals(true, ledger.claimHeld("let-go", 0, read, lease));
        assertEquals(false, ledger.claimHeld("unowned", 0, read, lease), "no claimer to wait for");

        ledger.apply(new LedgerRecord.Alive("worker-a", List.of("m1")), T0 + 1, read + 1_000_000_000L);
        assertEquals(true, ledger.claimHeld("running", 0, read + 2_000_000_000L, lease), "still listed");
        assertEquals(false, ledger.claimHeld("let-go", 0, read + 2_000_000_000L, lease), "its claimer let it go");
        assertEquals(false, ledger.claimHeld("running", 0, read + 31_000_000_001L, lease), "silent a whole lease");
        assertEquals(false, ledger.claimHeld("running", 1, read + 2_000_000_000L, lease), "another round");

        ledger.apply(new Claim("later", 0, "m4", "worker-a"), T0 + 2, read + 2_000_000_000L);
        assertEquals(true, ledger.claimHeld("later", 0, read + 3_000_000_000L, lease),
                "claimed after the heartbeat, which cannot list it");
        ledger.apply(new Settle("running", 0, Outcome.DONE, null), T0 + 3);
        assertEquals(false, ledger.claimHeld("running", 0, read + 3_000_000_000L, lease), "settled");
    }

    @Test
    void recordsAppliedWithoutAReadTimeMakeNobodyAlive() {
        ledger.apply(new Claim("e1", 0, "m1", "worker-a"), T0);
        ledger.apply(new LedgerRecord.Alive("worker-a", List.of("m1")), T0);

        assertEquals(false, ledger.alive("worker-a", 0, 30_000));
    }

    @Test
    void anUnknownLineageIsUnclaimed() {
        assertEquals(UNCLAIMED, ledger.classify("e1", 0, "m1"));
    }

    @Test
    void theFirstClaimOfARoundWins() {
        ledger.apply(new Claim("e1", 0, "m1"), T0);
        ledger.apply(new Claim("e1", 0, "m2"), T0 + 1);

        assertEquals(OWNED, ledger.classify("e1", 0, "m1"));
        assertEquals(new Verdict.Duplicate("m1"), ledger.classify("e1", 0, "m2"));
        assertEquals(new Verdict.Duplicate("m1"), ledger.classify("e1", 0, "m3"));
    }

    @Test
    void aSettleOverridesTheRoundsClaimForEveryMessage() {
        ledger.apply(new Claim("done", 0, "m1"), T0);
        ledger.apply(new Settle("done", 0, Outcome.DONE, null), T0);
        ledger.apply(new Claim("dead", 0, "m1"), T0);
        ledger.apply(new Settle("dead", 0, Outcome.DEAD, null), T0);
        ledger.apply(new Claim("retry", 0, "m1"), T0);
        ledger.apply(new Settle("retry", 0, Outcome.RETRY, PROGRESS), T0);

        for (String message : List.of("m1", "m2")) {
            assertEquals(new Verdict.Finished(Outcome.DONE), ledger.classify("done", 0, message));
            assertEquals(new Verdict.Finished(Outcome.DEAD), ledger.classify("dead", 0, message));
            assertEquals(new Verdict.RetryRecorded(PROGRESS), ledger.classify("retry", 0, message));
        }
    }

    @Test
    void aSettleWithoutAClaimCounts() {
        ledger.apply(new Settle("e1", 0, Outcome.DONE, null), T0);

        assertEquals(new Verdict.Finished(Outcome.DONE), ledger.classify("e1", 0, "m1"));
    }

    @Test
    void theFirstSettleOfARoundWinsAndALaterClaimOfItIsIgnored() {
        ledger.apply(new Claim("e1", 0, "m1"), T0);
        ledger.apply(new Settle("e1", 0, Outcome.RETRY, PROGRESS), T0);
        ledger.apply(new Settle("e1", 0, Outcome.DONE, null), T0);
        ledger.apply(new Claim("e1", 0, "m2"), T0);

        assertEquals(new Verdict.RetryRecorded(PROGRESS), ledger.classify("e1", 0, "m2"));
    }

    @Test
    void aRetriedRoundDoesNotRunOnceItsNextRoundIsClaimed() {
        ledger.apply(new Claim("e1", 0, "m1"), T0);
        ledger.apply(new Settle("e1", 0, Outcome.RETRY, PROGRESS), T0);
        ledger.apply(new Claim("e1", 1, "m2"), T0 + 1000);

        // The round-0 message redelivered (its ack was lost): it was its round's owner, yet it must not run again,
        // nor publish its retry a second time.
        assertEquals(SUPERSEDED, ledger.classify("e1", 0, "m1"));
        assertEquals(SUPERSEDED, ledger.classify("e1", 0, "m9"));
        assertEquals(OWNED, ledger.classify("e1", 1, "m2"));
        assertEquals(new Verdict.Duplicate("m2"), ledger.classify("e1", 1, "m3"));
    }

    @Test
    void aLaterRoundMeansEveryEarlierOneFinishedEvenWithItsOwnRecordsUnknown() {
        // Round 2's settle is all that is known (the lineage's first rounds were forgotten with the window).
        ledger.apply(new Settle("e1", 2, Outcome.DONE, null), T0);

        assertEquals(SUPERSEDED, ledger.classify("e1", 0, "m0"));
        assertEquals(SUPERSEDED, ledger.classify("e1", 1, "m1"));
        assertEquals(new Verdict.Finished(Outcome.DONE), ledger.classify("e1", 2, "m2"));
        assertEquals(UNCLAIMED, ledger.classify("e1", 3, "m3"));
    }

    @Test
    void aRoundAfterTheLatestKnownIsUnclaimed() {
        ledger.apply(new Claim("e1", 0, "m1"), T0);
        ledger.apply(new Settle("e1", 0, Outcome.RETRY, PROGRESS), T0);

        assertEquals(UNCLAIMED, ledger.classify("e1", 1, "m2"));
        assertEquals(new Verdict.RetryRecorded(PROGRESS), ledger.classify("e1", 0, "m1"));
    }

    @Test
    void recordsOfAnEarlierRoundAppliedLateAreIgnored() {
        ledger.apply(new Claim("e1", 1, "m2"), T0);
        ledger.apply(new Claim("e1", 0, "m1"), T0);
        ledger.apply(new Settle("e1", 0, Outcome.DONE, null), T0);

        assertEquals(OWNED, ledger.classify("e1", 1, "m2"));
        assertEquals(SUPERSEDED, ledger.classify("e1", 0, "m1"));
    }

    @Test
    void aLaterRoundsClaimReplacesAnEarlierSettle() {
        ledger.apply(new Settle("e1", 0, Outcome.RETRY, PROGRESS), T0);
        ledger.apply(new Settle("e1", 1, Outcome.RETRY, "1;0;;;a=2,;a=4000,;again"), T0);
        ledger.apply(new Claim("e1", 2, "m3"), T0);
        ledger.apply(new Settle("e1", 2, Outcome.DEAD, null), T0);

        assertEquals(SUPERSEDED, ledger.classify("e1", 1, "m2"));
        assertEquals(new Verdict.Finished(Outcome.DEAD), ledger.classify("e1", 2, "m3"));
    }

    @Test
    void lineagesAreIndependent() {
        ledger.apply(new Claim("e1", 0, "m1"), T0);
        ledger.apply(new Claim("e1/retry-1", 0, "m2"), T0);
        ledger.apply(new Settle("e1", 0, Outcome.DEAD, null), T0);

        assertEquals(OWNED, ledger.classify("e1/retry-1", 0, "m2"));
        assertEquals(UNCLAIMED, ledger.classify("e1/retry-2", 0, "m3"));
        assertEquals(new Verdict.Finished(Outcome.DEAD), ledger.classify("e1", 0, "m2"));
    }

    @Test
    void aSyncChangesNothing() {
        ledger.apply(new Claim("e1", 0, "m1"), T0);
        ledger.apply(new Sync("e1"), T0);

        assertEquals(1, ledger.size());
        assertEquals(OWNED, ledger.classify("e1", 0, "m1"));
    }

    @Test
    void aLineageIsForgottenOnceTheWindowPassedSinceItsFirstRecord() {
        ledger.apply(new Claim("old", 0, "m1"), T0);
        ledger.apply(new Settle("old", 0, Outcome.DONE, null), T0 + WINDOW - 1); // does not renew it
        ledger.apply(new Claim("new", 0, "m2"), T0 + 1);

        assertEquals(new Verdict.Finished(Outcome.DONE), ledger.classify("old", 0, "m1"));
        ledger.apply(new Sync("tick"), T0 + WINDOW);
        assertEquals(UNCLAIMED, ledger.classify("old", 0, "m1"));
        assertEquals(OWNED, ledger.classify("new", 0, "m2"));
        assertEquals(1, ledger.size());
    }

    @Test
    void forgetExpiredForgetsWithoutARecord() {
        ledger.apply(new Claim("e1", 0, "m1"), T0);
        ledger.apply(new Claim("e2", 0, "m2"), T0 + 10);

        ledger.forgetExpired(T0 + WINDOW - 1);
        assertEquals(2, ledger.size());
        ledger.forgetExpired(T0 + WINDOW + 10);
        assertEquals(0, ledger.size());
        assertEquals(UNCLAIMED, ledger.classify("e2", 0, "m2"));
    }

    @Test
    void aForgottenLineageStartsAgainFromItsNextRecord() {
        ledger.apply(new Settle("e1", 0, Outcome.RETRY, PROGRESS), T0);
        ledger.apply(new Claim("e1", 1, "m2"), T0 + WINDOW); // the retry came back after the window

        assertEquals(OWNED, ledger.classify("e1", 1, "m2"));
        assertEquals(SUPERSEDED, ledger.classify("e1", 0, "m1"));
        ledger.forgetExpired(T0 + WINDOW * 2 - 1);
        assertEquals(1, ledger.size());
    }

    @Test
    void pastMaxIdsTheLineageFirstRecordedIsForgottenFirst() {
        Ledger small = new Ledger(WINDOW, 2);
        small.apply(new Claim("a", 0, "ma"), T0);
        small.apply(new Claim("b", 0, "mb"), T0);
        small.apply(new Settle("a", 0, Outcome.DONE, null), T0); // an update keeps a's place in the order
        small.apply(new Claim("c", 0, "mc"), T0);

        assertEquals(2, small.size());
        assertEquals(UNCLAIMED, small.classify("a", 0, "ma"));
        assertEquals(OWNED, small.classify("b", 0, "mb"));
        assertEquals(OWNED, small.classify("c", 0, "mc"));
    }

    @Test
    void theBoundsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Ledger(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Ledger(1, 0));
    }

    @Test
    void recordsAreRefusedWhenMalformed() {
        assertThrows(IllegalArgumentException.class, () -> new Claim("e", -1, "m"));
        assertThrows(IllegalArgumentException.class, () -> new Settle("e", 0, Outcome.RETRY, null));
        assertThrows(IllegalArgumentException.class, () -> new Settle("e", 0, Outcome.DONE, PROGRESS));
        assertThrows(NullPointerException.class, () -> new Claim(null, 0, "m"));
    }

    @Test
    void threadsApplyingAndClassifyingAtOnceAgreeOnOneOwnerPerRound() throws Exception {
        Ledger shared = new Ledger(WINDOW, 10_000);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                String message = "m" + thread;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        shared.apply(new Claim("e" + i, 0, message), T0);
                        shared.classify("e" + i, 0, message);
                    }
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            threads.shutdown();
        }
        assertEquals(2000, shared.size());
        for (int i = 0; i < 2000; i++) {
            int lineage = i;
            long owners = List.of("m0", "m1", "m2", "m3").stream()
                    .filter(message -> shared.classify("e" + lineage, 0, message).equals(OWNED)).count();
            assertEquals(1, owners, "e" + i);
        }
    }
}
