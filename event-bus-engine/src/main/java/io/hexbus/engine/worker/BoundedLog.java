package io.hexbus.engine.worker;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a recurring problem at most once per interval, with how many repeats were held back, so that an
 * outage does not flood the logs; for backends too. Thread-safe; never blocks.
 */
public final class BoundedLog {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong lastNanos = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param log      where the lines go
     * @param interval the least time between two lines
     */
    public BoundedLog(Logger log, java.time.Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Logs at WARN, unless a line of this log was written less than the interval ago.
     *
     * @param message an SLF4J message pattern
     * @param args    its arguments
     */
    public void warn(String message, Object... args) {
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

    /** Forgets the last line, after the problem went away: the next occurrence is logged at once. */
    public void reset() {
        lastNanos.set(System.nanoTime() - Long.MAX_VALUE / 2);
        suppressed.set(0);
    }
}
