package io.hexbus.kafka;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker's cumulative counters for the statistics (what its {@link WorkerReport} carries), whether they changed
 * since the fetch thread last reported them, and the fetch thread's commit passes, which a dead letter waits for
 * before its counters are reported (the lag must not count a record the counters count).
 *
 * <p>Thread-safety: thread-safe; settles count on the engine's threads, the fetch thread reports and commits.
 */
final class WorkerCounters {

    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong unhandled = new AtomicLong();
    private final AtomicLong takeovers = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private volatile int running;
    private final Object passLock = new Object();
    private long started; // guarded by passLock
    private long done; // guarded by passLock

    /** An event every subscription finished with. */
    void completed() {
        completed.incrementAndGet();
        changes.incrementAndGet();
    }

    /** An event no subscription of this application handles. */
    void unhandled() {
        unhandled.incrementAndGet();
        changes.incrementAndGet();
    }

    /**
     * A round's failed attempts.
     *
     * @param count how many; negative to take back a count whose write failed
     */
    void failedAttempts(int count) {
        failedAttempts.addAndGet(count);
        changes.incrementAndGet();
    }

    /** A dead letter (its last round's failed attempts are counted apart, before it is written). */
    void deadLettered() {
        deadLettered.incrementAndGet();
        changes.incrementAndGet();
    }

    /** A record taken over from a worker that handed it out and did not settle it. */
    void takenOver() {
        takeovers.incrementAndGet();
        changes.incrementAndGet();
    }

    /** Something else the report carries changed (what is held). */
    void changed() {
        changes.incrementAndGet();
    }

    /**
     * @param handlers handlers running on the worker now
     */
    void running(int handlers) {
        running = handlers;
    }

    /** @return a number that differs whenever a counter changed since it was last read */
    long changes() {
        return changes.get();
    }

    /**
     * @param worker  the worker's name
     * @param held    the records it holds (handed out, not settled)
     * @param settling of {@code held}, those whose settle is under way; at most {@code held}
     * @param nowMillis when
     * @return its report now
     */
    WorkerReport report(String worker, int held, int settling, long nowMillis) {
        return new WorkerReport(worker, completed.get(), failedAttempts.get(), deadLettered.get(), takeovers.get(),
                unhandled.get(), running, held, settling, nowMillis);
    }

    /**
     * The fetch thread starts a commit pass: it commits what is settled now.
     *
     * @return the pass's number, for {@link #commitPassDone}
     */
    long commitPassStarted() {
        synchronized (passLock) {
            return ++started;
        }
    }

    /**
     * A commit pass ended (committed, or deferred by a rebalance): what settled before it started is committed, or
     * will not be by this worker. Passes end in the order they started (Kafka completes one consumer's commits in
     * order), so this ends every earlier one too.
     *
     * @param pass its number
     */
    void commitPassDone(long pass) {
        synchronized (passLock) {
            done = Math.max(done, pass);
            passLock.notifyAll();
        }
    }

    /** Every commit pass started so far ended: none has a commit on its way. */
    void commitPassesDone() {
        synchronized (passLock) {
            done = started;
            passLock.notifyAll();
        }
    }

    /**
     * Waits until a commit pass that started after this call ended, or the wait is over.
     *
     * @param maxMillis the longest wait
     * @return whether one did
     */
    boolean awaitCommitPass(long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        synchronized (passLock) {
            long target = started + 1;
            try {
                while (done < target) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        return false;
                    }
                    passLock.wait(left);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
