package io.hexbus.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A tick at every whole multiple of the period since the epoch: instances started at different times agree on
 * every tick without talking to each other.
 */
final class FixedRateTicks implements TickSource {

    private final long periodMillis;

    FixedRateTicks(Duration period) {
        this.periodMillis = period.toMillis();
    }

    @Override
    public Optional<Instant> nextAfter(Instant instant) {
        return Optional.of(Instant.ofEpochMilli(floor(instant) + periodMillis));
    }

    @Override
    public Optional<Instant> latestAtOrBefore(Instant instant) {
        return Optional.of(Instant.ofEpochMilli(floor(instant)));
    }

    // The latest multiple of the period at or before the instant (sub-millisecond parts round down).
    private long floor(Instant instant) {
        return Math.floorDiv(instant.toEpochMilli(), periodMillis) * periodMillis;
    }
}
