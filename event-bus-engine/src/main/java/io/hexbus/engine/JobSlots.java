package io.hexbus.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A queue worker's capacity and job threads, apart from its broker.
 *
 * <ul>
 *   <li><b>Room</b> bounds the entries a worker holds (read ahead, being handled, or waiting for their
 *       acknowledgement): {@code slots + readAhead} of them. The transport takes room for an entry before it
 *       dispatches it ({@link #hold}, {@link #holdUpTo}) and gives it back once the entry is settled, abandoned or
 *       acknowledged ({@link #release}).</li>
 *   <li><b>Job threads</b>: {@code slots} daemon threads run the submitted jobs, the rest wait in an unbounded
 *       queue. A thread stuck in a handler past its timeout is replaced for as long as it stays stuck
 *       ({@link #addReplacement}, {@link #removeReplacement}), so it does not take a slot.</li>
 *   <li><b>Shutdown</b>: {@link #drain} stops taking jobs and lets those submitted run within a deadline;
 *       {@link #abandon} then interrupts the running ones and returns those never started, whose entries the
 *       transport leaves to another worker.</li>
 * </ul>
 *
 * <p>Thread-safe. Only {@link #hold}, {@link #awaitRoom} and {@link #drain} block.
 */
public final class JobSlots {

    private static final Logger log = LoggerFactory.getLogger(JobSlots.class);

    private final int slots;
    private final Semaphore room;
    private final ThreadPoolExecutor jobs;
    private int replacements; // guarded by this: see resize

    /**
     * Starts no thread: job threads start as jobs are submitted, or at {@link #prestart}.
     *
     * @param slots            how many jobs run at once; at least 1
     * @param readAhead        how many entries may be held beyond those running; at least 0
     * @param threadNamePrefix the job threads are named this, a dash and a number
     */
    public JobSlots(int slots, int readAhead, String threadNamePrefix) {
        if (slots < 1 || readAhead < 0) {
            throw new IllegalArgumentException("slots must be at least 1 and readAhead at least 0, not " + slots
                    + " and " + readAhead);
        }
        this.slots = slots;
        this.room = new Semaphore(slots + readAhead);
        this.jobs = new ThreadPoolExecutor(slots, slots, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                daemonThreads(threadNamePrefix));
    }

    /**
     * A factory of daemon threads named {@code prefix-1}, {@code prefix-2}, …, whose uncaught exceptions are logged.
     *
     * @param prefix the start of each thread's name
     * @return a new factory, with its own numbering
     */
    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((dead, e) -> log.error("Thread {} ended by {}", dead.getName(),
                    e.getClass().getName(), e));
            return thread;
        };
    }

    /** Takes room for one entry, waiting as long as it takes, even if interrupted. */
    public void hold() {
        room.acquireUninterruptibly();
    }

    /**
     * Takes room for one entry if there is some, without waiting.
     *
     * @return whether it was taken; if so, it is given back with {@link #release}
     */
    public boolean tryHold() {
        return room.tryAcquire();
    }

    /**
     * Starts every job thread now, from the calling thread, rather than as the first jobs are submitted: jobs may
     * then be submitted from a client's I/O thread without it ever starting (and lending its context to) a thread.
     */
    public void prestart() {
        jobs.prestartAllCoreThreads();
    }

    /**
     * Waits until there is room for at least one more entry, without taking it.
     *
     * @param wait the longest to wait
     * @return how many more entries there is room for now; 0 if none came within {@code wait}, or if the thread
     *         was interrupted (its interrupt status is then set again)
     */
    public int awaitRoom(Duration wait) {
        try {
            if (!room.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        int free = room.availablePermits() + 1;
        room.release();
        return free;
    }

    /**
     * Takes room for as many entries as there is, up to {@code max}, without waiting.
     *
     * @param max the most to take
     * @return how many were taken, from 0 to {@code max}; each is given back with {@link #release}
     */
    public int holdUpTo(int max) {
        int taken = 0;
        while (taken < max && room.tryAcquire()) {
            taken++;
        }
        return taken;
    }

    /** Gives back the room of one entry. */
    public void release() {
        room.release();
    }

    /**
     * Gives back the room of several entries.
     *
     * @param entries how many; 0 does nothing
     */
    public void release(int entries) {
        room.release(entries);
    }

    /**
     * Queues a job for the next free job thread. A job that throws an {@link Error} ends its thread, which is
     * replaced.
     *
     * @param job what to run
     * @return false if the slots are shutting down and will not run it (its entry is then the caller's to release)
     */
    public boolean submit(Runnable job) {
        try {
            jobs.execute(job);
            return true;
        } catch (RejectedExecutionException shuttingDown) {
            return false;
        }
    }

    /**
     * Adds a job thread in place of one stuck in a handler past its timeout; called by the watchdog's timeout
     * action, before it submits the rest of that round.
     */
    public void addReplacement() {
        resize(+1);
    }

    /**
     * Removes the thread {@link #addReplacement} added, once the stuck thread returned from its handler. The two
     * calls race (the handler may return before the watchdog adds its replacement), so the replacements may count
     * below zero for a moment; there is always at least one job thread.
     */
    public void removeReplacement() {
        resize(-1);
    }

    private synchronized void resize(int delta) {
        replacements += delta;
        int size = Math.max(1, slots + replacements);
        // The core size must never exceed the maximum: grow the maximum first, shrink it last.
        if (size > jobs.getMaximumPoolSize()) {
            jobs.setMaximumPoolSize(size);
            jobs.setCorePoolSize(size);
            jobs.prestartAllCoreThreads(); // here, not on whichever thread submits next (see prestart)
        } else {
            jobs.setCorePoolSize(size);
            jobs.setMaximumPoolSize(size);
        }
    }

    /** How many job threads the pool keeps now: the slots plus the current replacements, at least one. */
    synchronized int jobThreads() {
        return jobs.getMaximumPoolSize();
    }

    /**
     * Graceful shutdown: stops taking jobs, lets the queued ones run, and waits until every job thread ended, or
     * until {@code nothingHeld} is true and no job is queued. A thread still stuck in a handler past its timeout
     * holds no entry (its round moved on), so it is not waited for.
     *
     * @param deadline    the longest to wait
     * @param nothingHeld whether the transport holds no entry any more; polled while waiting
     * @return false if the deadline passed first (then call {@link #abandon})
     * @throws InterruptedException if the waiting thread was interrupted
     */
    public boolean drain(Duration deadline, BooleanSupplier nothingHeld) throws InterruptedException {
        jobs.shutdown();
        long end = System.nanoTime() + deadline.toNanos();
        while (!jobs.awaitTermination(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)),
                TimeUnit.MILLISECONDS)) {
            if (nothingHeld.getAsBoolean() && jobs.getQueue().isEmpty()) {
                return true;
            }
            if (System.nanoTime() - end >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops at once: takes no more jobs, interrupts the running ones and drops the queued ones. Idempotent.
     *
     * @return the jobs submitted but never started, in queue order, so that their entries can be released
     */
    public List<Runnable> abandon() {
        return jobs.shutdownNow();
    }
}
