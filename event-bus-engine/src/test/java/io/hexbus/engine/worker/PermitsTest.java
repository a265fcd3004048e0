package io.hexbus.engine.worker;

import io.hexbus.api.handling.RateLimit;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PermitsTest {

    private static final RateLimit FIVE_PER_SECOND = RateLimit.of(5, Duration.ofSeconds(1));

    @Test
    void aPostponedRunWaitsForTheBrokersInstantPlusUpToOneWindowSoABacklogDoesNotComeDueAllAtOnce() {
        assertEquals(300, Permits.spread(300, FIVE_PER_SECOND, 0.0), "never before the broker's instant");
        assertEquals(800, Permits.spread(300, FIVE_PER_SECOND, 0.5));
        assertEquals(1_299, Permits.spread(300, FIVE_PER_SECOND, 0.999_999), "less than one window later");
    }
}
