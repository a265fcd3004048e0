package io.hexbus.redis;

import io.hexbus.api.handling.NonRetryableException;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.redis.RoundDecision.Outcomes;
import io.hexbus.redis.Settlement.Acknowledge;
import io.hexbus.redis.Settlement.DeadLetter;
import io.hexbus.redis.Settlement.FailedAttempt;
import io.hexbus.redis.Settlement.Reschedule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision after a round, without Redis: progress is given as the hash fields Redis holds. */
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
                policies("a", "b"), progress(), NOW, NO_RANDOM);

        assertInstanceOf(Acknowledge.class, settlement);
        assertEquals(List.of(), settlement.failedAttempts());
    }

    @Test
    void aFailureWithRetriesLeftReschedulesOnlyItAfterItsBackoffAndRecordsTheSuccessAsDone() {
        IllegalStateException down = new IllegalStateException("warehouse down");

        Reschedule retry = assertInstanceOf(Reschedule.class, RoundDecision.settle(
                new Outcomes(List.of("a"), Map.of("b", down), List.of()), policies("a", "b"), progress(), NOW, HALF));

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
                progress("done:a", "1", "attempts:b", "2", "error", "before"), NOW, HALF));

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
                new Outcomes(List.of("c"), failures, List.of()), policies("a", "b", "c"), progress(), NOW, HALF));

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
                progress("attempts:a", "3", "dead:b", "1", "attempts:b", "2", "error", "older"), NOW, NO_RANDOM));

        assertEquals(Set.of("a", "b"), Set.copyOf(dead.subscriptions()));
        assertEquals(2, dead.subscriptions().size());
        assertEquals(4, dead.attempts(), "the first attempt and 3 retries");
        assertTrue(dead.error().startsWith("subscription 'a': java.lang.IllegalStateException: warehouse down,"
                + " attempt 4\n\tat "), dead.error());
        assertEquals(List.of(new FailedAttempt("a", 4, down, FailedAttempt.GAVE_UP)), dead.failedAttempts());
    }

    @Test
    void aSubscriptionWithoutAPolicyIsNotRetried() {
        DeadLetter dead = assertInstanceOf(DeadLetter.class, RoundDecision.settle(
                new Outcomes(List.of(), Map.of("gone", new IllegalStateException()), List.of()), Map.of(),
                progress(), NOW, NO_RANDOM));

        assertEquals(List.of("gone"), dead.subscriptions());
        assertEquals(1, dead.attempts());
    }

    @Test
    void aSubscriptionNotYetDueSetsTheDelayWhenItIsDueFirst() {
        Reschedule retry = assertInstanceOf(Reschedule.class, RoundDecision.settle(
                new Outcomes(List.of(), Map.of("b", new IllegalStateException()), List.of("a")), policies("a", "b"),
                progress("attempts:a", "1", "due:a", Long.toString(NOW + 1_500)), NOW, HALF));

        assertEquals(1_500, retry.delayMillis(), "a is due before b's 2 s backoff");
        assertEquals(Map.of("b", 2_000L), retry.update().dueInMillis(), "a keeps its recorded due time");
    }

    @Test
    void aRoundOfOnlySubscriptionsNotYetDueIsRescheduledForTheEarliest() {
        Reschedule retry = assertInstanceOf(Reschedule.class, RoundDecision.settle(
                new Outcomes(List.of("c"), Map.of(), List.of("a", "b")), policies("a", "b", "c"),
                progress("due:a", Long.toString(NOW + 3_000), "due:b", Long.toString(NOW - 10), "error", "e"),
                NOW, NO_RANDOM));

        assertEquals(0, retry.delayMillis(), "b is overdue: never a negative delay");
        assertEquals(List.of("c"), retry.update().done());
        assertEquals(Map.of("done:c", "1", "error", "e"), retry.update().fields(), "the recorded error is kept");
        assertEquals(List.of(), retry.failedAttempts());
    }

    @Test
    void whenNothingIsLeftToRetryTheDeadSubscriptionsAreDeadLetteredWithTheRecordedError() {
        DeadLetter dead = assertInstanceOf(DeadLetter.class, RoundDecision.settle(
                new Outcomes(List.of("c"), Map.of(), List.of()), policies("a", "b", "c"),
                progress("dead:a", "1", "attempts:a", "1", "dead:b", "1", "attempts:b", "4", "done:d", "1",
                        "error", "subscription 'b': java.lang.IllegalStateException: down"), NOW, NO_RANDOM));

        assertEquals(Set.of("a", "b"), Set.copyOf(dead.subscriptions()));
        assertEquals(2, dead.subscriptions().size());
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
                List.of()), Map.of("a", jittered, "b", jittered, "dead", jittered), progress(), NOW, random));

        assertEquals(List.of(0.0, 0.75), drawn, "none for the failure that gave up");
        assertEquals(Map.of("a", 1_000L, "b", 2_500L), retry.update().dueInMillis(), "2 s spread by ±50 %");
        assertEquals(1_000, retry.delayMillis());
    }

    @Test
    void progressUpdatesKeepTheFieldsRedisHoldsSoOlderEntriesStillRead() {
        Map<String, Throwable> failures = new LinkedHashMap<>();
        failures.put("b", new NonRetryableException("no"));
        failures.put("c", new IllegalStateException());

        Reschedule retry = assertInstanceOf(Reschedule.class, RoundDecision.settle(
                new Outcomes(List.of("a"), failures, List.of()), policies("a", "b", "c"), progress(), NOW, HALF));

        Map<String, String> fields = retry.update().fields();
        assertEquals(List.of("done:a", "attempts:b", "dead:b", "attempts:c", "due:c", "error"),
                List.copyOf(fields.keySet()));
        assertEquals("1", fields.get("done:a"));
        assertEquals("1", fields.get("dead:b"));
        assertEquals("1", fields.get("attempts:c"));
        assertEquals("2000", fields.get("due:c"), "a delay: reschedule-4.lua adds the Redis time");

        Progress read = progress("done:a", "1", "dead:b", "1", "attempts:b", "1", "due:c", "42", "takeovers", "2",
                "error", "e", "firstFailedAt", "1", "lastFailedAt", "2");
        assertTrue(read.isDone("a"));
        assertTrue(read.isDead("b"));
        assertEquals(Set.of("b"), read.dead());
        assertEquals(1, read.attempts("b"));
        assertEquals(0, read.attempts("c"));
        assertEquals(42, read.dueAt("c"));
        assertEquals(2, read.takeovers());
        assertEquals("e", read.lastError());
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
        Progress progress = progress("takeovers", "6", "done:a", "1", "dead:b", "1", "attempts:b", "2",
                "attempts:c", "1");

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
                progress("done:a", "1", "dead:b", "1", "attempts:b", "3", "attempts:c", "2",
                        "due:c", Long.toString(NOW + 8_000), "error", "older"), 30_000, "newer version"),
                "an entry of a newer version is never dead-lettered for it");

        assertEquals(30_000, waiting.delayMillis());
        assertEquals(Map.of("c", 30_000L, "d", 30_000L), waiting.update().dueInMillis(),
                "every owed subscription waits the delay, a retry due earlier included; done and dead ones not");
        assertEquals(Map.of("c", 2, "d", 0), waiting.update().attempts(), "nothing was attempted");
        assertEquals(List.of(), waiting.update().done());
        assertEquals(Set.of(), waiting.update().dead());
        assertEquals("newer version", waiting.update().lastError());
        assertEquals(List.of(), waiting.failedAttempts(), "no failed attempt, so none counted");
        assertEquals(Map.of("attempts:c", "2", "due:c", "30000", "attempts:d", "0", "due:d", "30000",
                "error", "newer version"), waiting.update().fields());
    }

    @Test
    void anEntryOfANewerVersionThatOwesNothingIsAcknowledged() {
        Settlement settlement = RoundDecision.awaitReader(List.of("a", "b"),
                progress("done:a", "1", "done:b", "1", "attempts:b", "1"), 30_000, "newer version");

        assertInstanceOf(Acknowledge.class, settlement);
        assertEquals(List.of(), settlement.failedAttempts());
    }

    @Test
    void anEntryOfANewerVersionThatOwesNothingButHasDeadSubscriptionsIsDeadLetteredAsSettleDoes() {
        Progress progress = progress("done:a", "1", "dead:b", "1", "attempts:b", "4", "dead:c", "1",
                "attempts:c", "1", "error", "subscription 'b': java.lang.IllegalStateException: down");

        DeadLetter dead = assertInstanceOf(DeadLetter.class,
                RoundDecision.awaitReader(List.of("a", "b", "c"), progress, 30_000, "newer version"));
        DeadLetter settled = assertInstanceOf(DeadLetter.class, RoundDecision.settle(
                new Outcomes(List.of(), Map.of(), List.of()), policies("a", "b", "c"), progress, NOW, NO_RANDOM));

        assertEquals(Set.of("b", "c"), Set.copyOf(dead.subscriptions()));
        assertEquals(2, dead.subscriptions().size());
        assertEquals(4, dead.attempts(), "the highest recorded attempt count");
        assertEquals("subscription 'b': java.lang.IllegalStateException: down", dead.error(), "the recorded error");
        assertEquals(List.of(), dead.failedAttempts());
        assertEquals(Set.copyOf(settled.subscriptions()), Set.copyOf(dead.subscriptions()));
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

    /** The progress hash as Redis holds it: field, value, field, value... */
    private static Progress progress(String... fieldsAndValues) {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            fields.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return new Progress(fields);
    }
}
