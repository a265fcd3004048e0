package io.hexbus.outbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxStatusTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Duration MAX_FAILING = Duration.ofMinutes(1);
    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private static OutboxStatus status(Duration oldest, long dead, Optional<Instant> failingSince) {
        return new OutboxStatus(3, oldest, dead, 10, failingSince.map(since -> "transport down"), failingSince);
    }

    @Test
    void aRelayFailingBrieflyIsStillHealthyAndOneFailingLongerIsNot() {
        assertTrue(status(Duration.ofSeconds(1), 0, Optional.of(NOW.minusSeconds(60)))
                .healthy(MAX_FAILING, MAX_AGE, NOW));
        assertFalse(status(Duration.ofSeconds(1), 0, Optional.of(NOW.minusSeconds(61)))
                .healthy(MAX_FAILING, MAX_AGE, NOW));
    }

    @Test
    void aRowWaitingLongerThanTheThresholdIsUnhealthyEvenWithNoFailure() {
        assertTrue(status(MAX_AGE, 0, Optional.empty()).healthy(MAX_FAILING, MAX_AGE, NOW));
        assertFalse(status(MAX_AGE.plusMillis(1), 0, Optional.empty()).healthy(MAX_FAILING, MAX_AGE, NOW),
                "no relay runs, or it cannot keep up");
    }

    @Test
    void deadRowsDoNotStopTheOutboxFromForwarding() {
        assertTrue(status(Duration.ZERO, 4, Optional.empty()).healthy(MAX_FAILING, MAX_AGE, NOW));
    }

    @Test
    void negativeFiguresAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OutboxStatus(-1, Duration.ZERO, 0, 0,
                Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new OutboxStatus(0, Duration.ofSeconds(-1), 0, 0,
                Optional.empty(), Optional.empty()));
    }
}
