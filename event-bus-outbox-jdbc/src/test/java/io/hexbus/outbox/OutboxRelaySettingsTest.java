package io.hexbus.outbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutboxRelaySettingsTest {

    private final OutboxRelaySettings defaults = OutboxRelaySettings.defaults();

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertEquals(new OutboxRelaySettings("hexbus-outbox-relay", 500, Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofMinutes(1),
                Duration.ofSeconds(10)), defaults);
    }

    @Test
    void eachWitherChangesItsSettingOnly() {
        assertEquals("r2", defaults.withName("r2").name());
        assertEquals(7, defaults.withBatchSize(7).batchSize());
        assertEquals(Duration.ofHours(1), defaults.withPollInterval(Duration.ofHours(1)).pollInterval());
        assertEquals(Duration.ofMillis(5), defaults.withMinBackoff(Duration.ofMillis(5)).minBackoff());
        assertEquals(Duration.ofMinutes(5), defaults.withMaxBackoff(Duration.ofMinutes(5)).maxBackoff());
        assertEquals(Duration.ofDays(1), defaults.withRetention(Duration.ofDays(1)).retention());
        assertEquals(Duration.ofSeconds(5), defaults.withCleanupInterval(Duration.ofSeconds(5)).cleanupInterval());
        assertEquals(Duration.ofSeconds(2), defaults.withStopTimeout(Duration.ofSeconds(2)).stopTimeout());
        assertEquals(defaults.withName("r2").withName(defaults.name()), defaults);
    }

    @Test
    void outOfBoundsSettingsAreRefusedNamingTheSetting() {
        assertMessage("name must not be blank", () -> defaults.withName(" "));
        assertMessage("batchSize must be between 1 and 10000, got 0", () -> defaults.withBatchSize(0));
        assertMessage("batchSize must be between 1 and 10000, got 10001", () -> defaults.withBatchSize(10_001));
        assertMessage("pollInterval must be positive, got PT0S", () -> defaults.withPollInterval(Duration.ZERO));
        assertMessage("minBackoff must be positive, got PT-1S",
                () -> defaults.withMinBackoff(Duration.ofSeconds(-1)));
        assertMessage("maxBackoff (PT0.05S) must be at least minBackoff (PT0.1S)",
                () -> defaults.withMaxBackoff(Duration.ofMillis(50)));
        assertMessage("retention must be positive, got PT0S", () -> defaults.withRetention(Duration.ZERO));
        assertMessage("cleanupInterval must be positive, got PT0S", () -> defaults.withCleanupInterval(Duration.ZERO));
        assertMessage("stopTimeout must be positive, got PT0S", () -> defaults.withStopTimeout(Duration.ZERO));
        assertEquals("retention", assertThrows(NullPointerException.class, () -> defaults.withRetention(null))
                .getMessage());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable change) {
        String message = assertThrows(IllegalArgumentException.class, change).getMessage();
        assertEquals(true, message.startsWith(expected), message);
    }
}
