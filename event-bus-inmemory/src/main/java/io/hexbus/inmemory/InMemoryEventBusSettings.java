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
 * <p>With {@code wireCheck} on (the default), every event is checked at publish as a queue would carry it: it
 * must encode within the size limit and read back equal (see {@code EventCodec.checkRoundTrip}), so that a
 * service that passes its tests in memory meets no new refusal on a queue. It costs an encode and a decode per
 * event (docs/benchmarks.md has the figure); turn it off only on a hot path that never moves to a queue.
 *
 * @param dedupeCapacity the most ids remembered; at least 1
 * @param dedupeWindow   how long an id is remembered; positive
 * @param wireCheck      whether each event is checked against the wire contract at publish
 */
public record InMemoryEventBusSettings(int dedupeCapacity, Duration dedupeWindow, boolean wireCheck) {

    /** 100,000 ids, for up to 7 days (the queue's window), with the wire check on. */
    public static final InMemoryEventBusSettings DEFAULT =
            new InMemoryEventBusSettings(100_000, Duration.ofDays(7), true);

    /**
     * Checks the bounds.
     *
     * @param dedupeCapacity the most ids remembered; at least 1
     * @param dedupeWindow how long an id is remembered; positive
     * @param wireCheck whether each event is checked against the wire contract at publish
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

    /**
     * @param value the most ids remembered; at least 1
     * @return a copy with that capacity
     */
    public InMemoryEventBusSettings withDedupeCapacity(int value) {
        return new InMemoryEventBusSettings(value, dedupeWindow, wireCheck);
    }

    /**
     * @param value how long an id is remembered; positive
     * @return a copy with that window
     */
    public InMemoryEventBusSettings withDedupeWindow(Duration value) {
        return new InMemoryEventBusSettings(dedupeCapacity, value, wireCheck);
    }

    /**
     * @param value whether each event is checked against the wire contract at publish
     * @return a copy with the check on or off
     */
    public InMemoryEventBusSettings withWireCheck(boolean value) {
        return new InMemoryEventBusSettings(dedupeCapacity, dedupeWindow, value);
    }
}
