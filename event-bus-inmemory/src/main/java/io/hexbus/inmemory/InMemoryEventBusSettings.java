package io.hexbus.inmemory;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link InMemoryEventBus}. Immutable.
 *
 * <p>The bus remembers the ids it has published so that a repeated id is reported as a duplicate, as on a
 * queue. It remembers at most {@code dedupeCapacity} ids, none older than {@code dedupeWindow}: memory
 * stays bounded, and an id older than that is delivered again.
 *
 * @param dedupeCapacity the most ids remembered; at least 1
 * @param dedupeWindow   how long an id is remembered; positive
 */
public record InMemoryEventBusSettings(int dedupeCapacity, Duration dedupeWindow) {

    /** 100,000 ids, for up to 7 days (the queue's window). */
    public static final InMemoryEventBusSettings DEFAULT = new InMemoryEventBusSettings(100_000, Duration.ofDays(7));

    /**
     * Checks the bounds.
     *
     * @param dedupeCapacity the most ids remembered; at least 1
     * @param dedupeWindow how long an id is remembered; positive
     * @throws IllegalArgumentException naming the setting out of bounds
     */
    public InMemoryEventBusSettings {
        Objects.requireNonNull(dedupeWindow, "dedupeWindow");
        if (dedupeCapacity < 1) {
            throw new IllegalArgumentException("dedupeCapacity must be at least 1, got " + dedupeCapacity);
        }
        if (dedupeWindow.isNegative() || dedupeWindow.isZero()) {
            throw new IllegalArgumentException("dedupeWindow must be positive, got " + dedupeWindow);
        }
    }
}
