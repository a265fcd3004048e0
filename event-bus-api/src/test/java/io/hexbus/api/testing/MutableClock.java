package io.hexbus.api.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves: time stands still until the test sets or advances it, so what depends on time (dedupe
 * windows, due times, ticks) is decided without waiting. In UTC; {@link #withZone} returns this clock. Thread-safe:
 * code under test may read it from its own threads while the test moves it.
 */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /**
     * @param start the instant it shows until moved
     */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** Starts at 2026-01-01T00:00:00Z. */
    public MutableClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /**
     * @param instant the instant it shows from now on
     */
    public void set(Instant instant) {
        now = instant;
    }

    /**
     * Moves it forward (or back, for a negative duration). Not atomic with a concurrent {@link #set}.
     *
     * @param duration how far
     */
    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
