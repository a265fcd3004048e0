package io.hexbus.rabbitmq;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker's cumulative counters for the statistics, as its {@link StatsReport}s carry them: they only grow, so
 * that the group's sums of the latest reports only grow too.
 *
 * <p>Thread-safe: settles count on the engine's threads, reports are written from any.
 */
final class WorkerCounters {

    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong takeovers = new AtomicLong();
    private final AtomicLong unhandled = new AtomicLong();
    private final AtomicLong settling = new AtomicLong();
    private final AtomicLong version = new AtomicLong();
    private volatile int running;

    /** @return a number that changes whenever a counter does, for a report to tell whether it is news */
    long version() {
        return version.get();
    }

    /** An event every subscription finished with. */
    void completed() {
        completed.incrementAndGet();
        version.incrementAndGet();
    }

    /** An event no subscription of this application handles. */
    void unhandled() {
        unhandled.incrementAndGet();
        version.incrementAndGet();
    }

    /** @param count a round's failed attempts */
    void failedAttempts(int count) {
        failedAttempts.addAndGet(count);
        version.incrementAndGet();
    }

    /** An event dead-lettered (its last round's failed attempts are counted apart). */
    void deadLettered() {
        deadLettered.incrementAndGet();
        version.incrementAndGet();
    }

    /** A message taken over from a worker that held it and did not settle it. */
    void takenOver() {
        takeovers.incrementAndGet();
        version.incrementAndGet();
    }

    /** @param change +1 when a settle that writes a dead letter starts, -1 when it ends */
    void settling(int change) {
        settling.addAndGet(change);
        version.incrementAndGet();
    }

    /** @param now the handlers running now */
    void running(int now) {
        running = now;
        version.incrementAndGet();
    }

    /**
     * @param worker    the worker's name
     * @param held      the messages handed to it and not settled
     * @param nowMillis the worker's clock
     * @return the report of the counters now
     */
    StatsReport report(String worker, int held, long nowMillis) {
        long settlingNow = Math.min(settling.get(), held);
        return new StatsReport(worker, completed.get(), failedAttempts.get(), deadLettered.get(), takeovers.get(),
                unhandled.get(), Math.min(running, held), held, Math.max(0, settlingNow), nowMillis);
    }
}
