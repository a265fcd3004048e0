package io.hexbus.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces handler timeouts for handlers that run on a worker's own job threads, so that the happy path
 * costs no thread hand-off: a job thread {@linkplain #begin registers} an attempt, calls the handler
 * itself and {@linkplain #end ends} the attempt. An attempt still running at its deadline is expired: its
 * thread is interrupted and its {@code onTimeout} action runs on the watchdog's thread, which is where the
 * worker moves the rest of the round to another thread, so a handler that ignores the interrupt cannot
 * keep the slot.
 *
 * <p>The watchdog thread sleeps until the earliest deadline it knows of, at most {@link #MAX_NAP}; a job
 * thread wakes it only for a deadline earlier than that (a timeout shorter than the nap), so with the
 * usual timeouts of seconds an attempt costs two concurrent-set updates and no wake-up. Thread-safe.
 */
public final class HandlerWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HandlerWatchdog.class);

    /** The longest the watchdog sleeps, and so the most a deadline can be overrun when a wake-up is missed. */
    public static final Duration MAX_NAP = Duration.ofMillis(500);

    /**
     * Longer timeouts (up to {@code ChronoUnit.FOREVER}, which has no nanosecond count) are timed as this one:
     * about 146 years, never reached, and short enough that deadlines still compare by subtraction.
     */
    private static final Duration LONGEST_TIMEOUT = Duration.ofNanos(Long.MAX_VALUE / 2);

    private final Set<Attempt> running = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile long wakeAt; // System.nanoTime() the watchdog plans to wake at
    private volatile boolean stopped;

    /**
     * Starts the watchdog's thread.
     *
     * @param threads makes the watchdog's one thread, which it starts at once
     */
    public HandlerWatchdog(ThreadFactory threads) {
        this.thread = threads.newThread(this::watch);
        this.wakeAt = System.nanoTime();
        thread.start();
    }

    /** One timed handler call, on the thread that called {@link #begin}; opaque to the caller. */
    public static final class Attempt {
        private final Thread runner = Thread.currentThread();
        private final long deadline;
        private final Runnable onTimeout;
        private boolean expired; // guarded by this
        private boolean ended; // guarded by this

        private Attempt(long deadline, Runnable onTimeout) {
            this.deadline = deadline;
            this.onTimeout = onTimeout;
        }

        /** Interrupts the runner under the lock {@link #end} takes, so the interrupt never outlives the attempt. */
        private synchronized boolean expire() {
            if (ended || expired) {
                return false;
            }
            expired = true;
            runner.interrupt();
            return true;
        }

        private synchronized boolean finish() {
            ended = !expired;
            return ended;
        }
    }

    /**
     * Starts timing an attempt on the calling thread.
     *
     * @param timeout   how long it may run; any positive length, {@code ChronoUnit.FOREVER}'s included
     * @param onTimeout what to do if it is still running then; runs on the watchdog's thread, must not block
     * @return the attempt, to pass to {@link #end}
     */
    public Attempt begin(Duration timeout, Runnable onTimeout) {
        long nanos = timeout.compareTo(LONGEST_TIMEOUT) > 0 ? LONGEST_TIMEOUT.toNanos() : timeout.toNanos();
        Attempt attempt = new Attempt(System.nanoTime() + nanos, onTimeout);
        running.add(attempt);
        if (attempt.deadline - wakeAt < 0) {
            LockSupport.unpark(thread);
        }
        return attempt;
    }

    /**
     * Stops timing an attempt, from the thread that began it.
     *
     * @param attempt what {@link #begin} returned on this thread
     * @return true if it ended in time; false if it had expired (its {@code onTimeout} ran or is running,
     *         and the caller must leave the attempt's work alone). The interrupt of an expired attempt is
     *         cleared, so it does not leak into the thread's next task.
     */
    public boolean end(Attempt attempt) {
        running.remove(attempt);
        if (attempt.finish()) {
            return true;
        }
        Thread.interrupted();
        return false;
    }

    private void watch() {
        long nap = MAX_NAP.toNanos();
        while (!stopped) {
            long now = System.nanoTime();
            // Published before the scan: an attempt added during the scan with an earlier deadline unparks us.
            wakeAt = now + nap;
            long next = now + nap;
            for (Attempt attempt : running) {
                if (attempt.deadline - now <= 0) {
                    running.remove(attempt);
                    if (attempt.expire()) {
                        runGuarded(attempt.onTimeout);
                    }
                } else if (attempt.deadline - next < 0) {
                    next = attempt.deadline;
                }
            }
            wakeAt = next;
            LockSupport.parkNanos(this, Math.max(0, next - System.nanoTime()));
        }
    }

    private static void runGuarded(Runnable onTimeout) {
        try {
            onTimeout.run();
        } catch (RuntimeException e) {
            log.error("A handler timed out and its timeout action failed", e); // the watchdog must live on
        }
    }

    /** Stops the watchdog; attempts still running are no longer timed. Idempotent. */
    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
