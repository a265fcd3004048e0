package io.hexbus.outbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {

    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(30);

    @Test
    void startsAtTheMinimumAndDoublesPerFailureUpToTheMaximum() {
        assertEquals(MIN, Backoff.after(1, MIN, MAX));
        assertEquals(Duration.ofMillis(200), Backoff.after(2, MIN, MAX));
        assertEquals(Duration.ofMillis(25_600), Backoff.after(9, MIN, MAX));
        assertEquals(MAX, Backoff.after(10, MIN, MAX));
        assertEquals(MAX, Backoff.after(Long.MAX_VALUE, MIN, MAX), "no overflow after many failures");
    }

    @Test
    void noFailureYetWaitsTheMinimum() {
        assertEquals(MIN, Backoff.after(0, MIN, MAX));
    }
}
