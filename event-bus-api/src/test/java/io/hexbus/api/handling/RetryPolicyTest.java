package io.hexbus.api.handling;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    @Test
    void theDefaultRetriesThreeTimesAfterTwoFourAndEightSeconds() {
        RetryPolicy policy = RetryPolicy.DEFAULT;

        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)),
                IntStream.rangeClosed(1, 3).mapToObj(policy::backoffBefore).toList());
        assertTrue(policy.allowsRetryAfter(3));
        assertFalse(policy.allowsRetryAfter(4), "the fourth failure is final");
    }

    @Test
    void theBackoffStopsGrowingAtItsCap() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(1), 3.0, Duration.ofSeconds(20), 0);

        assertEquals(Duration.ofSeconds(9), policy.backoffBefore(3));
        assertEquals(Duration.ofSeconds(20), policy.backoffBefore(4));
        assertEquals(Duration.ofSeconds(20), policy.backoffBefore(10));
    }

    @Test
    void jitterSpreadsTheWaitWithinItsFraction() {
        RetryPolicy policy = RetryPolicy.DEFAULT.withJitter(0.5);

        assertEquals(Duration.ofMillis(1_000), policy.backoffBefore(1, 0.0));
        assertEquals(Duration.ofMillis(2_000), policy.backoffBefore(1, 0.5));
        assertEquals(Duration.ofMillis(2_500), policy.backoffBefore(1, 0.75));
        assertEquals(Duration.ofMillis(2_999), policy.backoffBefore(1, 0.9995), "never the full +50%");
        assertEquals(Duration.ofMillis(2_000), RetryPolicy.DEFAULT.backoffBefore(1, 0.9), "no jitter, no spread");
    }

    @Test
    void noneMakesTheFirstFailureFinal() {
        assertFalse(RetryPolicy.NONE.allowsRetryAfter(1));
    }

    @Test
    void outOfBoundsComponentsAreRefusedByName() {
        assertEquals("RetryPolicy.maxRetries is -1, it must be 0 or more", assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.exponential(-1, Duration.ofSeconds(1))).getMessage());
        assertEquals("RetryPolicy.jitter is 1.5, it must be from 0 to 1", assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.DEFAULT.withJitter(1.5)).getMessage());
        assertEquals("RetryPolicy.multiplier is 0.5, it must be at least 1", assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(1, Duration.ZERO, 0.5, Duration.ZERO, 0)).getMessage());
    }
}
