package io.hexbus.rabbitmq;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * At most one read of a stream per interval, for a reader that keeps its fold: every read of a stream appends a sync
 * marker ({@link StreamLog}), and an admin polled by a dashboard must not append one per call to a stream every worker
 * reads. Within the interval, the reader answers from its fold as the last read left it.
 *
 * <p>Thread-safe. A read that throws does not count: the next call reads again.
 */
final class ReadThrottle {

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private boolean read; // guarded by this
    private long lastReadStartedAt; // guarded by this

    /**
     * @param interval the least time between two reads' starts; zero to read at every call
     * @param nanoTime a monotonic clock in ns ({@link System#nanoTime()})
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    ReadThrottle(Duration interval, LongSupplier nanoTime) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative, got " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Runs the read if none started within the interval, or since {@link #expire()}.
     *
     * @param reading the read; runs in the caller's thread
     * @return whether it ran
     * @throws RuntimeException what the read threw
     */
    synchronized boolean readIfDue(Runnable reading) {
        long now = nanoTime.getAsLong();
        if (read && now - lastReadStartedAt < intervalNanos) {
            return false;
        }
        reading.run();
        read = true;
        lastReadStartedAt = now;
        return true;
    }

    /** Makes the next call read: the reader knows its fold is behind (it wrote to the stream itself). */
    synchronized void expire() {
        read = false;
    }
}
