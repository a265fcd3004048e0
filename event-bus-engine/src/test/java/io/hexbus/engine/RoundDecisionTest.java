package io.hexbus.engine;

import io.hexbus.api.handling.NonRetryableException;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.engine.RoundDecision.Outcomes;
import io.hexbus.engine.Settlement.Acknowledge;
import io.hexbus.engine.Settlement.DeadLetter;
import io.hexbus.engine.Settlement.FailedAttempt;
import io.hexbus.engine.Settlement.Reschedule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision after a round, without a broker: progress is given as the typed value a backend reads. */
class RoundDecisionTest {

    /** 3 retries waiting 2 s, 4 s, 8 s, without jitter. */
    private static final RetryPolicy THREE_RETRIES = RetryPolicy.exponential(3, Duration.ofSeconds(2));
    private static final long NOW = 1_700_000_000_000L;
    private static final DoubleSupplier NO_RANDOM = () -> {
        throw new AssertionError("no retry, so no jitter drawn");
    };
    private static final DoubleSupplier HALF = () -> 0.5;

    @Test
    void aRoundWhereEverySubscriptionSucceededIsAcknowledged() {
        Settlement settlement = RoundDecision.settle(new Outcomes(List.of("a", "b"), Map.of(), List.of()),
                policies("a", "b"), Progress.NONE, NOW, NO_RANDOM);

        assertInstanceOf(Acknowledge.class, settlement);
        assertEquals(List.of(), settlement.failedAttempts());
    }

    @Test
    void aFailureWithRetriesLeftReschedulesOnlyItAfterItsBackoffAndRecordsTheSuccessAsDone() {
        IllegalStateException down = new IllegalStateException("warehouse down");

        Reschedule retry = assertInstanceOf(Reschedule.class, RoundDecision.settle(
                new Outcomes(List.of("a"), Map.of("b", down), List.of()), policies("a", "b"), Progress.NONE, NOW,
                HALF));

        assertEquals(2_000, retry.delayMillis());
        assertEquals(List.of("a"), retry.update().done());
        assertEquals(Map.of("b", 1), retry.update().attempts());
        assertEquals(Map.of("b", 2_000L), retry.update().dueInMillis());
        assertEquals(Set.of(), retry.update().dead());
        assertTrue(retry.update().lastError().startsWith(
                "subscription 'b': java.lang.IllegalStateException: warehouse down\n\tat "), retry.update().lastError());
        assertEquals(List.of(new FailedAttempt("b", 1, down, 2_000)), retry.failedAttempts());
        assertFalse(retry.failedAttempts().get(0).gaveUp());
    }

    @Test
    void aLaterRetryWaitsTheBackoffOfItsAttemptCountedFromTheRecordedOnes() {
        Reschedule retry = assertInstanceOf(Reschedule.class, RoundDecision.settle(
                new Outcomes(List.of(), Map.of("b", new IllegalStateException()), List.of()), policies("a", "b"),
                recorded().done("a").attempts("b", 2).error("before").build(), NOW, HALF));

        assertEquals(8_000, retry.delayMillis(), "the third retry of 2 s, 4 s, 8 s");
        assertEquals(Map.of("b", 3), retry.update().attempts());
        assertEquals(List.of(), retry.update().done(), "done earlier, not written again");
    }

    @Test
    void aNonRetryableFailureMakesItsSubscriptionDeadWhileTheOthersGoOn() {
        NonRetryableException rejected = new NonRetryableException("order has no lines");
        IllegalStateException down = new IllegalStateException("warehouse down");
        Map<String, Throwable> failures = new LinkedHashMap<>();
        failures.put("a", rejected);
        failures.put("b", down);

        Reschedule retry = assertInstanceOf(Reschedule.class, RoundDecision.settle(
                new Outcomes(List.of("c"), failures, List.of()), policies("a", "b", "c"), Progress.NONE, NOW, HALF));

        assertEquals(Set.of("a"), retry.update().dead());
        assertEquals(Map.of("b", 2_000L), retry.update().dueInMillis());
        assertEquals(Map.of("a", 1, "b", 1), retry.update().attempts());
        assertEquals(List.of("c"), retry.update().done());
        assertEquals(2_000, retry.delayMillis());
        assertEquals(List.of(new FailedAttempt("a", 1, rejected, FailedAttempt.GAVE_UP),
                new FailedAttempt("b", 1, down, 2_000)), retry.failedAttempts());
        assertTrue(retry.failedAttempts().get(0).gaveUp());
        assertTrue(retry.update().lastError().startsWith("subscription 'b': "), "the last failure that ran");
    }

    @Test
    void exhaustedRetriesDeadLetterWithTheLastErrorAndTheHighestAttemptCount() {
        IllegalStateException down = new IllegalStateException("warehouse down, attempt 4");

        DeadLetter dead = assertInstanceOf(DeadLetter.class, RoundDecision.settle(
                new Outcomes(List.of("c"), Map.of("a", down), List.of()), policies("a", "b", "c"),
                recorded().attempts("a", 3).dead("b").attempts("b", 2).error("older").build(), NOW, NO_RANDOM));

        assertEquals(List.of("b", "a"), dead.subscriptions(), "the one recorded dead first, then this round's");
        assertEquals(4, dead.attempts(), "the first attempt and 3 retries");
        assertTrue(dead.error().startsWith("subscription 'a': java.lang.IllegalStateException: warehouse down,"
                + " attempt 4\n\tat "), dead.error());
        assertEquals(List.of(new FailedAttempt("a", 4, down, FailedAttempt.GAVE_UP)), dead.failedAttempts());
    }

    @Test
    void aSubscriptionWithoutAPolicyIsNotRetried() {
        DeadLetter dead = assertInstanceOf(DeadLetter.class, RoundDecision.settle(
                new Outcomes(List.of(), Map.of("gone", new IllegalStateException()), List.of()), Map.of(),
                Progress.NONE, NOW, NO_RANDOM));

        assertEquals(List.of("gone"), dead.subscriptions());
        assertEquals(1, dead.attempts());
    }

    @Test
    void aSubscriptionNotYetDueSetsTheDelayWhenItIsDueFirst() {
        Reschedule retry = assertInstanceOf(Reschedule.class, RoundDecision.settle(
                new Outcomes(List.of(), Map.of("b", new IllegalStateException()), List.of("a")), policies("a", "b"),
                recorded().attempts("a", 1).due("a", NOW + 1_500).build(), NOW, HALF));

        assertEquals(1_500, retry.delayMillis(), "a is due before b's 2 s backoff");
        assertEquals(Map.of("b", 2_000L), retry.update().dueInMillis(), "a keeps its recorded due time");
    }

    @Test
    void aRoundOfOnlySubscriptionsNotYetDueIsRescheduledForTheEarliest() {
        Reschedule retry = assertInstanceOf(Reschedule.class, RoundDecision.settle(
                new Outcomes(List.of("c"), Map.of(), List.of("a", "b")), policies("a", "b", "c"),
                recorded().due("a", NOW + 3_000).due("b", NOW - 10).error("e").build(),
                NOW, NO_RANDOM));

        assertEquals(0, retry.delayMillis(), "b is overdue: never a negative delay");
        assertEquals(List.of("c"), retry.update().done());
        assertEquals(new ProgressUpdate(List.of("c"), Map.of(), Map.of(), Set.of(), "e"), retry.update(),
                "nothing else is written; the recorded error is kept");
        assertEquals(List.of(), retry.failedAttempts());
    }

    @Test
    void whenNothingIsLeftToRetryTheDeadSubscriptionsAreDeadLetteredWithTheRecordedError() {
        DeadLetter dead = assertInstanceOf(DeadLetter.class, RoundDecision.settle(
                new Outcomes(List.of("c"), Map.of(), List.of()), policies("a", "b", "c"),
                recorded().dead("a").attempts("a", 1).dead("b").attempts("b", 4).done("d")
                        .error("subscription 'b': java.lang.IllegalStateException: down").build(), NOW, NO_RANDOM));

        assertEquals(List.of("a", "b"), dead.subscriptions(), "in the order they were recorded");
        assertEquals(4, dead.attempts());
        assertEquals("subscription 'b': java.lang.IllegalStateException: down", dead.error());
        assertEquals(List.of(), dead.failedAttempts(), "no attempt failed in this round");
    }

    @Test
    void theJitterSourceSpreadsEachRetryAndIsDrawnOncePerRetriedFailure() {
        RetryPolicy jittered = THREE_RETRIES.withJitter(0.5);
        Iterator<Double> draws = List.of(0.0, 0.75).iterator();
        List<Double> drawn = new ArrayList<>();
        DoubleSupplier random = () -> {
            double next = draws.next();
            drawn.add(next);
            return next;
        };
        Map<String, Throwable> failures = new LinkedHashMap<>();
        failures.put("a", new IllegalStateException());
        failures.put("dead", new NonRetryableException("no"));
        failures.put("b", new IllegalStateException());

        Reschedule retry = assertInstanceOf(Reschedule.class, RoundDecision.settle(new Outcomes(List.of(), failures,
                List.of()), Map.of("a", jittered, "b", jittered, "dead", jittered), Progress.NONE, NOW, random));

        assertEquals(List.of(0.0, 0.75), drawn, "none for the failure that gave up");
        assertEquals(Map.of("a", 1_000L, "b", 2_500L), retry.update().dueInMillis(), "2 s spread by ±50 %");
        assertEquals(1_000, retry.delayMillis());
    }

    @Test
    void aProgressUpdateRefusesADeadOrDueSubscriptionWithoutAnAttemptCount() {
        assertThrows(IllegalArgumentException.class,
                () -> new ProgressUpdate(List.of(), Map.of(), Map.of(), Set.of("a"), ""));
        assertThrows(IllegalArgumentException.class,
                () -> new ProgressUpdate(List.of(), Map.of(), Map.of("a", 1L), Set.of(), ""));
    }

    @Test
    void anEntryTakenOverTooOftenIsDeadLetteredForWhatItStillOwesWithTheTakeoversAsReason() {
        Progress progress = recorded().takeovers(6).done("a").dead("b").attempts("b", 2).attempts("c", 1).build();

        assertTrue(RoundDecision.tooManyTakeovers(progress, 5));
        assertFalse(RoundDecision.tooManyTakeovers(progress, 6));
        DeadLetter dead = RoundDecision.afterTakeovers(List.of("a", "b", "c", "d"), progress, 5);

        assertEquals(List.of("c", "d"), dead.subscriptions());
        assertEquals(2, dead.attempts());
        assertTrue(dead.error().startsWith("taken over 6 times, more than maxTakeovers (5): "), dead.error());
        assertEquals(List.of(), dead.failedAttempts());
    }

    @Test
    void anEntryOfANewerVersionReschedulesEveryOwedSubscriptionAfterTheDelayKeepingItsAttempts() {
        Reschedule waiting = assertInstanceOf(Reschedule.class, RoundDecision.awaitReader(List.of("a", "b", "c", "d"),
                recorded().done("a").dead("b").attempts("b", 3).attempts("c", 2).due("c", NOW + 8_000).error("older")
                        .build(), NOW, 30_000, "newer version"),
                "an entry of a newer version is never dead-lettered for it");

        assertEquals(30_000, waiting.delayMillis());
        assertEquals(Map.of("c", 30_000L, "d", 30_000L), waiting.update().dueInMillis(),
                "every owed subscription waits the delay, a retry due earlier included; done and dead ones not");
        assertEquals(Map.of("c", 2, "d", 0), waiting.update().attempts(), "nothing was attempted");
        assertEquals(List.of(), waiting.update().done());
        assertEquals(Set.of(), waiting.update().dead());
        assertEquals("older", waiting.update().lastError(), "b is dead: its dead letter will need the error");
        assertEquals(List.of(), waiting.failedAttempts(), "no failed attempt, so none counted");
        assertEquals(List.of("c", "d"), List.copyOf(waiting.update().attempts().keySet()), "in subscription order");
    }

    @Test
    void aWaitForANewerReaderNeverShortensARetrysBackoff() {
        Reschedule waiting = assertInstanceOf(Reschedule.class, RoundDecision.awaitReader(List.of("a", "b"),
                recorded().attempts("a", 4).due("a", NOW + 600_000).build(), NOW, 30_000, "newer version"));

        assertEquals(Map.of("a", 600_000L, "b", 30_000L), waiting.update().dueInMillis(),
                "a's retry was due in 10 minutes: it still is; b waits the delay");
        assertEquals(30_000, waiting.delayMillis(), "the entry comes back at the earliest wait");
    }

    @Test
    void aWaitOnAFirstDeliveryWhoseClockIsUnknownIsTheDelay() {
        Reschedule waiting = assertInstanceOf(Reschedule.class, RoundDecision.awaitReader(List.of("a"),
                Progress.NONE, -1, 30_000, "newer version"));

        assertEquals(Map.of("a", 30_000L), waiting.update().dueInMillis());
    }

    @Test
    void anEntryOfANewerVersionWithNoDeadSubscriptionRecordsWhyItWaits() {
        Reschedule waiting = assertInstanceOf(Reschedule.class, RoundDecision.awaitReader(List.of("a", "b"),
                recorded().attempts("a", 1).due("a", NOW).error("subscription 'a': timed out").build(), NOW, 30_000,
                "newer version"));

        assertEquals("newer version", waiting.update().lastError());
    }

    @Test
    void anEntryOfANewerVersionThatOwesNothingIsAcknowledged() {
        Settlement settlement = RoundDecision.awaitReader(List.of("a", "b"),
                recorded().done("a").done("b").attempts("b", 1).build(), NOW, 30_000, "newer version");

        assertInstanceOf(Acknowledge.class, settlement);
        assertEquals(List.of(), settlement.failedAttempts());
    }

    @Test
    void anEntryOfANewerVersionThatOwesNothingButHasDeadSubscriptionsIsDeadLetteredAsSettleDoes() {
        Progress progress = recorded().done("a").dead("b").attempts("b", 4).dead("c").attempts("c", 1)
                .error("subscription 'b': java.lang.IllegalStateException: down").build();

        DeadLetter dead = assertInstanceOf(DeadLetter.class,
                RoundDecision.awaitReader(List.of("a", "b", "c"), progress, NOW, 30_000, "newer version"));
        DeadLetter settled = assertInstanceOf(DeadLetter.class, RoundDecision.settle(
                new Outcomes(List.of(), Map.of(), List.of()), policies("a", "b", "c"), progress, NOW, NO_RANDOM));

        assertEquals(List.of("b", "c"), dead.subscriptions());
        assertEquals(4, dead.attempts(), "the highest recorded attempt count");
        assertEquals("subscription 'b': java.lang.IllegalStateException: down", dead.error(), "the recorded error");
        assertEquals(List.of(), dead.failedAttempts());
        assertEquals(settled.subscriptions(), dead.subscriptions());
        assertEquals(settled.attempts(), dead.attempts());
        assertEquals(settled.error(), dead.error());
    }

    private static Map<String, RetryPolicy> policies(String... subscriptions) {
        Map<String, RetryPolicy> policies = new LinkedHashMap<>();
        for (String sub : subscriptions) {
            policies.put(sub, THREE_RETRIES);
        }
        return policies;
    }

    private static Recorded recorded() {
        return new Recorded();
    }

    /** Progress recorded on earlier rounds, written down as a backend would have recorded it. */
    private static final class Recorded {
        private final Set<String> done = new LinkedHashSet<>();
        private final Set<String> dead = new LinkedHashSet<>();
        private final Map<String, Integer> attempts = new LinkedHashMap<>();
        private final Map<String, Long> due = new LinkedHashMap<>();
        private int takeovers;
        private String error = "";

        Recorded done(String subscription) {
            done.add(subscription);
            return this;
        }

        Recorded dead(String subscription) {
            dead.add(subscription);
            return this;
        }

        Recorded attempts(String subscription, int count) {
            attempts.put(subscription, count);
            return this;
        }

        Recorded due(String subscription, long at) {
            due.put(subscription, at);
            return this;
        }

        Recorded takeovers(int count) {
            takeovers = count;
            return this;
        }

        Recorded error(String lastError) {
            error = lastError;
            return this;
        }

        Progress build() {
            return new Progress(done, dead, attempts, due, takeovers, error);
        }
    }
}
