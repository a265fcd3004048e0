package io.hexbus.api.publishing;

import java.time.Duration;
import java.time.Instant;

/**
 * How a call to {@link EventBus#publishAll(java.util.List, PublishOptions)} delivers its events: now (the default,
 * {@link #NOW}), at an instant ({@link #deliverAt(Instant)}) or after a delay ({@link #deliverAfter(Duration)}).
 * Immutable and thread-safe.
 *
 * <p>A delay is kept as given and resolved on the broker's clock when the broker accepts the events (Redis's
 * {@code TIME}), never on the publishing process's clock, so a skewed worker or publisher moves no due time. An
 * instant is absolute; one not in the future means now. Either way a delayed event is delivered no earlier than
 * due, and as soon after as a worker polls: no upper bound is promised.
 *
 * @param deliverAt    the instant to deliver at, or null; at most one of the two is set
 * @param deliverAfter the delay after the broker accepted the events, or null; never negative
 * @since 0.1.0
 */
public record PublishOptions(Instant deliverAt, Duration deliverAfter) {

    /** Deliver now: what {@link EventBus#publishAll(java.util.List)} does. */
    public static final PublishOptions NOW = new PublishOptions(null, null);

    /**
     * @param deliverAt    the instant to deliver at, or null
     * @param deliverAfter the delay, or null
     * @throws IllegalArgumentException if both are set, or the delay is negative
     */
    public PublishOptions {
        if (deliverAt != null && deliverAfter != null) {
            throw new IllegalArgumentException("deliverAt and deliverAfter are exclusive, got both: " + deliverAt
                    + " and " + deliverAfter);
        }
        if (deliverAfter != null && deliverAfter.isNegative()) {
            throw new IllegalArgumentException("deliverAfter must not be negative, got " + deliverAfter);
        }
    }

    /**
     * @param instant when to deliver, not null; one in the past delivers now
     * @return options that deliver at {@code instant}
     * @throws NullPointerException if {@code instant} is null
     */
    public static PublishOptions deliverAt(Instant instant) {
        if (instant == null) {
            throw new NullPointerException("instant");
        }
        return new PublishOptions(instant, null);
    }

    /**
     * @param delay how long after the broker accepted the events to deliver them, not null; zero delivers now
     * @return options that deliver after {@code delay}, on the broker's clock
     * @throws NullPointerException     if {@code delay} is null
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static PublishOptions deliverAfter(Duration delay) {
        if (delay == null) {
            throw new NullPointerException("delay");
        }
        return new PublishOptions(null, delay);
    }

    /**
     * Whether these options deliver now: neither set, a zero delay, or an instant not after the system clock's
     * now. A transport with a clock of its own asks {@link #isImmediateAt(Instant)}.
     *
     * @return true if the events are delivered now
     */
    public boolean isImmediate() {
        return isImmediateAt(Instant.now());
    }

    /**
     * Whether these options deliver now on a clock that reads {@code now}: neither set, a zero delay, or an
     * instant not after {@code now}.
     *
     * @param now the clock's reading, not null
     * @return true if the events are delivered now
     */
    public boolean isImmediateAt(Instant now) {
        if (deliverAt != null) {
            return !deliverAt.isAfter(now);
        }
        return deliverAfter == null || deliverAfter.isZero();
    }
}
