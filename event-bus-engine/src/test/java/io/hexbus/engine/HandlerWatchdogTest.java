package io.hexbus.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HandlerWatchdog} on its own: an attempt is timed out exactly once or not at all, its interrupt never
 * outlives it, and a handler that ignores the interrupt is still moved away. Attempts run on threads of the
 * test's own (as on a worker's job threads); the test waits on latches, never on the clock, and asserts no
 * durations.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HandlerWatchdogTest {

    private static final String WATCHDOG_THREAD = "test-watchdog";
    /** A bound on waits that end as soon as their condition holds; never reached when the watchdog works. */
    private static final long PATIENCE_SECONDS = 60;

    private final HandlerWatchdog watchdog = new HandlerWatchdog(runnable -> {
        Thread thread = new Thread(runnable, WATCHDOG_THREAD);
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService jobs = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        jobs.shutdownNow();
        watchdog.close();
    }

    /** What one attempt saw, from the job thread that ran it. */
    private record Outcome(boolean endedInTime, boolean interruptedAfterEnd) {
    }

    /** Runs begin, the handler and end on a job thread, as a worker does on its job threads. */
    private Future<Outcome> attempt(Duration timeout, Runnable onTimeout, Runnable handler) {
        return jobs.submit(() -> {
            HandlerWatchdog.Attempt attempt = watchdog.begin(timeout, onTimeout);
            boolean ended;
            try {
                handler.run();
            } finally {
                ended = watchdog.end(attempt);
            }
            return new Outcome(ended, Thread.currentThread().isInterrupted());
        });
    }

    private static <T> T get(Future<T> future) throws Exception {
        return future.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }

    private static void awaitLatch(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS), what);
    }

    /** A handler that waits until it is interrupted, as a handler blocked in I/O or a lock would. */
    private static Runnable untilInterrupted(AtomicBoolean sawInterrupt) {
        return () -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException interrupted) {
                sawInterrupt.set(true);
            }
        };
    }

    /**
     * Returns once the watchdog has finished a scan that began after every deadline so far had passed: had an
     * attempt still been running then, it would have been expired by now. Two attempts of the test's own
     * mark it: the first expires in some scan at or after {@code timeout} from now; the second begins after
     * that, so it can only expire in a later scan, which starts when that one has finished.
     */
    private void awaitAScanPast(Duration timeout) throws Exception {
        for (Duration marker : List.of(timeout, Duration.ofNanos(1))) {
            CountDownLatch expired = new CountDownLatch(1);
            Future<Outcome> outcome = attempt(marker, expired::countDown, untilInterrupted(new AtomicBoolean()));
            awaitLatch(expired, "the watchdog expires a marker attempt");
            assertFalse(get(outcome).endedInTime());
        }
    }

    @Test
    void anAttemptPastItsDeadlineIsInterruptedAndMovedOnTheWatchdogThreadAndEndReportsIt() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();
        AtomicReference<String> timeoutThread = new AtomicReference<>();
        AtomicBoolean sawInterrupt = new AtomicBoolean();

        Outcome outcome = get(attempt(Duration.ofMillis(20), () -> {
            timeoutThread.set(Thread.currentThread().getName());
            timeouts.incrementAndGet();
        }, untilInterrupted(sawInterrupt)));

        assertFalse(outcome.endedInTime(), "end() reports that the attempt was moved");
        assertTrue(sawInterrupt.get(), "the handler was interrupted");
        assertFalse(outcome.interruptedAfterEnd(), "the interrupt is cleared so that it does not reach the next task");
        await().atMost(Duration.ofSeconds(PATIENCE_SECONDS)).until(() -> timeouts.get() == 1);
        assertEquals(WATCHDOG_THREAD, timeoutThread.get(), "onTimeout runs on the watchdog's thread");
        awaitAScanPast(Duration.ofMillis(20));
        assertEquals(1, timeouts.get(), "timed out once");
    }

    @Test
    void anAttemptThatEndsBeforeItsDeadlineIsNeverTimedOutNorInterrupted() throws Exception {
        Duration timeout = Duration.ofMillis(200);
        AtomicInteger timeouts = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(1);
        CountDownLatch scanned = new CountDownLatch(1);
        AtomicBoolean endedInTime = new AtomicBoolean();

        // The job thread stays in the task past the deadline, so that an interrupt arriving late would be seen.
        Future<Boolean> interruptedAfterTheDeadline = jobs.submit(() -> {
            HandlerWatchdog.Attempt attempt = watchdog.begin(timeout, timeouts::incrementAndGet);
            endedInTime.set(watchdog.end(attempt));
            ended.countDown();
            try {
                scanned.await();
                return Thread.currentThread().isInterrupted();
            } catch (InterruptedException late) {
                return true;
            }
        });
        awaitLatch(ended, "the attempt ends");
        awaitAScanPast(timeout);
        scanned.countDown();

        assertTrue(endedInTime.get(), "end() reports the attempt ended in time");
        assertFalse(get(interruptedAfterTheDeadline), "no interrupt arrives after the attempt ended");
        assertEquals(0, timeouts.get(), "onTimeout never ran");
    }

    @Test
    void aHandlerThatIgnoresTheInterruptIsMovedAwayWhileItStillRunsAndItsInterruptIsClearedAtEnd() throws Exception {
        CountDownLatch timedOut = new CountDownLatch(1);
        AtomicBoolean release = new AtomicBoolean();
        AtomicBoolean handlerReturned = new AtomicBoolean();
        AtomicBoolean returnedBeforeTimeoutRan = new AtomicBoolean();
        AtomicBoolean interruptedWhileRunning = new AtomicBoolean();

        Future<Outcome> outcome = attempt(Duration.ofMillis(20), () -> {
            returnedBeforeTimeoutRan.set(handlerReturned.get());
            timedOut.countDown();
        }, () -> {
            while (!release.get()) { // busy, never looks at its interrupt status
                Thread.onSpinWait();
                Thread.yield();
            }
            interruptedWhileRunning.set(Thread.currentThread().isInterrupted());
            handlerReturned.set(true);
        });

        awaitLatch(timedOut, "onTimeout runs although the handler does not return");
        assertFalse(returnedBeforeTimeoutRan.get(), "the rest of the entry is moved while the handler still runs");
        release.set(true);
        Outcome ended = get(outcome);

        assertTrue(interruptedWhileRunning.get(), "the handler was interrupted");
        assertFalse(ended.endedInTime(), "end() reports the move when the handler finally returns");
        assertFalse(ended.interruptedAfterEnd(), "the interrupt the handler ignored is cleared");
    }

    @Test
    void manyAttemptsAtOnceEachTimeOutExactlyOnceOrNotAtAllAndEndAgreesWithWhichever() throws Exception {
        int threads = 8;
        int attemptsPerThread = 150;
        Duration longest = Duration.ofMillis(3);
        List<Future<List<Boolean>>> runs = new ArrayList<>();
        List<List<AtomicInteger>> timeoutsByThread = new ArrayList<>();
        List<List<Boolean>> mustTimeOutByThread = new ArrayList<>();
        List<List<Boolean>> mustNotTimeOutByThread = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);

        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(t);
            List<AtomicInteger> timeouts = new ArrayList<>();
            List<Boolean> mustTimeOut = new ArrayList<>();
            List<Boolean> mustNotTimeOut = new ArrayList<>();
            timeoutsByThread.add(timeouts);
            mustTimeOutByThread.add(mustTimeOut);
            mustNotTimeOutByThread.add(mustNotTimeOut);
            for (int i = 0; i < attemptsPerThread; i++) {
                timeouts.add(new AtomicInteger());
                int kind = random.nextInt(4);
                mustTimeOut.add(kind == 0);
                mustNotTimeOut.add(kind == 1);
            }
            long seed = t;
            runs.add(jobs.submit(() -> {
                SplittableRandom work = new SplittableRandom(seed);
                List<Boolean> endedInTime = new ArrayList<>();
                start.await();
                for (int i = 0; i < attemptsPerThread; i++) {
                    assertFalse(Thread.currentThread().isInterrupted(), "no interrupt is left over from the last attempt");
                    AtomicInteger count = timeouts.get(i);
                    Duration timeout;
                    Runnable handler;
                    if (mustTimeOut.get(i)) { // blocks until the watchdog interrupts it
                        timeout = Duration.ofNanos(1 + work.nextLong(longest.toNanos()));
                        handler = untilInterrupted(new AtomicBoolean());
                    } else if (mustNotTimeOut.get(i)) { // returns at once, long before its deadline
                        timeout = Duration.ofMinutes(10);
                        handler = () -> { };
                    } else { // works about as long as it may: which comes first is a race
                        timeout = Duration.ofNanos(1 + work.nextLong(longest.toNanos()));
                        long workNanos = work.nextLong(longest.toNanos());
                        boolean ignoresInterrupt = work.nextBoolean();
                        handler = () -> {
                            long until = System.nanoTime() + workNanos;
                            while (System.nanoTime() - until < 0) {
                                if (!ignoresInterrupt && Thread.currentThread().isInterrupted()) {
                                    return;
                                }
                                LockSupport.parkNanos(100_000); // the handler's work
                            }
                        };
                    }
                    HandlerWatchdog.Attempt attempt = watchdog.begin(timeout, count::incrementAndGet);
                    try {
                        handler.run();
                    } finally {
                        endedInTime.add(watchdog.end(attempt));
                    }
                }
                assertFalse(Thread.currentThread().isInterrupted());
                return endedInTime;
            }));
        }
        start.countDown();
        List<List<Boolean>> endedByThread = new ArrayList<>();
        for (Future<List<Boolean>> run : runs) {
            endedByThread.add(get(run));
        }
        awaitAScanPast(longest);

        int timedOut = 0;
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < attemptsPerThread; i++) {
                boolean endedInTime = endedByThread.get(t).get(i);
                AtomicInteger count = timeoutsByThread.get(t).get(i);
                String which = "attempt " + i + " of thread " + t;
                if (endedInTime) {
                    assertEquals(0, count.get(), which + " ended in time, yet its onTimeout ran");
                } else {
                    // end() returned false: the onTimeout ran or was running; the scan that ran it has finished.
                    assertEquals(1, count.get(), which + " was moved, so its onTimeout ran, once");
                    timedOut++;
                }
                if (mustTimeOutByThread.get(t).get(i)) {
                    assertFalse(endedInTime, which + " waited for its interrupt");
                }
                if (mustNotTimeOutByThread.get(t).get(i)) {
                    assertTrue(endedInTime, which + " returned at once");
                }
            }
        }
        assertTrue(timedOut > 0 && timedOut < threads * attemptsPerThread, "both outcomes occur: " + timedOut);
    }

    @Test
    void aTimeoutActionThatThrowsLeavesTheWatchdogTimingTheNextAttempts() throws Exception {
        Future<Outcome> failing = attempt(Duration.ofMillis(1), () -> {
            throw new IllegalStateException("expected by the test: a timeout action that fails");
        }, untilInterrupted(new AtomicBoolean()));
        assertFalse(get(failing).endedInTime());

        CountDownLatch timedOut = new CountDownLatch(1);
        Future<Outcome> next = attempt(Duration.ofMillis(1), timedOut::countDown, untilInterrupted(new AtomicBoolean()));
        awaitLatch(timedOut, "the next attempt still times out");
        assertFalse(get(next).endedInTime());
    }

    @Test
    void anAttemptWithATimeoutTooLongToCountInNanosecondsBeginsAndEndsInTime() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();

        Outcome outcome = get(attempt(ChronoUnit.FOREVER.getDuration(), timeouts::incrementAndGet, () -> { }));

        assertTrue(outcome.endedInTime());
        awaitAScanPast(Duration.ofMillis(1));
        assertEquals(0, timeouts.get());
    }
}
