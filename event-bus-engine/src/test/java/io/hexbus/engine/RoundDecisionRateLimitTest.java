package io.hexbus.engine;

import io.hexbus.api.handling.NonRetryableException;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.engine.RoundDecision.Outcomes;
import io.hexbus.engine.Settlement.FailedAttempt;
import io.hexbus.engine.Settlement.Reschedule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The decision after a round in which a rate-limited subscription found no permit: postponed, never failed. */
class RoundDecisionRateLimitTest {

    private static final RetryPolicy THREE_RETRIES = RetryPolicy.exponential(3, Duration.ofSeconds(2));
    private static final long NOW = 1_700_000_000_000L;

    @Test
    void aPostponedSubscriptionWaitsForItsPermitWithItsAttemptsUnchangedAndNoFailedAttempt() {
        Progress before = new Progress(Set.of(), Set.of(), Map.of("limited", 2), Map.of(), 0, "earlier failure");

        Reschedule wait = assertInstanceOf(Reschedule.class, RoundDecision.settle(
                new Outcomes(List.of("audit"), Map.of(), List.of(), Map.of("limited", 350L)),
                policies("audit", "limited"), before, NOW, () -> 0.5));

        assertEquals(350, wait.delayMillis(), "due when the broker expects room in the window");
        assertEquals(List.of(), wait.failedAttempts(), "waiting for a permit is not an attempt");
        assertEquals(List.of("audit"), wait.update().done(), "the other subscription ran and is recorded");
        assertEquals(Map.of("limited", 2), wait.update().attempts(), "the attempt count is kept");
        assertEquals(Map.of("limited", 350L), wait.update().dueInMillis());
        assertEquals(Set.of(), wait.update().dead());
        assertEquals("earlier failure", wait.update().lastError(), "a wait is no error");

        Progress after = before.after(wait.update(), NOW + 5);
        assertEquals(NOW + 355, after.dueAt("limited"));
        assertEquals(2, after.attempts("limited"));
    }

    @Test
    void theEventIsDueAtTheEarliestOfItsPostponedRetriedAndNotYetDueSubscriptions() {
        IllegalStateException down = new IllegalStateException("down");
        Progress before = new Progress(Set.of(), Set.of(), Map.of("waiting", 1), Map.of("waiting", NOW + 900), 0,
                "");

        Reschedule soonest = assertInstanceOf(Reschedule.class, RoundDecision.settle(
                new Outcomes(List.of(), Map.of("failing", down), List.of("waiting"),
                        Map.of("limited", 1_200L, "also-limited", 700L)),
                policies("failing", "waiting", "limited", "also-limited"), before, NOW, () -> 0.5));

        assertEquals(700, soonest.delayMillis(), "the earliest of 2,000 (backoff), 900 (not yet due), 1,200, 700");
        assertEquals(List.of(new FailedAttempt("failing", 1, down, 2_000)), soonest.failedAttempts(),
                "only the handler that ran and threw failed");
        assertEquals(Map.of("failing", 1, "limited", 0, "also-limited", 0), soonest.update().attempts());
        assertEquals(Map.of("failing", 2_000L, "limited", 1_200L, "also-limited", 700L),
                soonest.update().dueInMillis());
    }

    @Test
    void aSubscriptionThatGaveUpIsRecordedDeadWhileAPostponedOneStillWaits() {
        NonRetryableException rejected = new NonRetryableException("no address");

        Reschedule wait = assertInstanceOf(Reschedule.class, RoundDecision.settle(
                new Outcomes(List.of(), Map.of("rejecting", rejected), List.of(), Map.of("limited", 40L)),
                policies("rejecting", "limited"), Progress.NONE, NOW, () -> 0.5));

        assertEquals(40, wait.delayMillis());
        assertEquals(Set.of("rejecting"), wait.update().dead(), "dead-lettered once the postponed one is settled");
        assertEquals(1, wait.failedAttempts().size());
    }

    @Test
    void aPostponementWaitsAPositiveTime() {
        assertThrows(IllegalArgumentException.class,
                () -> new Outcomes(List.of(), Map.of(), List.of(), Map.of("limited", 0L)));
    }

    private static Map<String, RetryPolicy> policies(String... subscriptions) {
        Map<String, RetryPolicy> policies = new LinkedHashMap<>();
        for (String sub : subscriptions) {
            policies.put(sub, THREE_RETRIES);
        }
        return policies;
    }
}
