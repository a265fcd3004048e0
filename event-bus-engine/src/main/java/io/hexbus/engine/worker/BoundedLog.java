package io.hexbus.engine.worker;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a recurring problem at most once per interval, with how many repeats were held back, so that an
 * outage does not flood the logs. Thread-safe.
 */
final class BoundedLog {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong lastNanos = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
    private final AtomicLong suppressed = new AtomicLong();

    BoundedLog(Logger log, java.time.Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    void warn(String message, Object... args) {
        String due = due(message);
        if (due != null) {
            log.warn(due, args);
        }
    }

    /** The message to log now, with the count held back since the last one, or null to hold this one back. */
    private String due(String message) {
        long now = System.nanoTime();
        long last = lastNanos.get();
        if (now - last >= intervalNanos && lastNanos.compareAndSet(last, now)) {
            long held = suppressed.getAndSet(0);
            return held == 0 ? message : message + " (" + held + " similar messages held back)";
        }
        suppressed.incrementAndGet();
        return null;
    }

    void reset() {
        lastNanos.set(System.nanoTime() - Long.MAX_VALUE / 2);
        suppressed.set(0);
    }
}
