package io.hexbus.api.handling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonRetryableTest {

    static final class InvalidPayload extends IllegalArgumentException implements NonRetryable {
        InvalidPayload() {
            super("email is missing");
        }
    }

    @Test
    void aMarkedFailureAnywhereInTheCauseChainSkipsRetries() {
        assertTrue(NonRetryable.isNonRetryable(new NonRetryableException("never")));
        assertTrue(NonRetryable.isNonRetryable(new RuntimeException("wrapped", new InvalidPayload())));
    }

    @Test
    void anOrdinaryFailureIsRetryable() {
        assertFalse(NonRetryable.isNonRetryable(new IllegalStateException("db down", new RuntimeException())));
    }
}
