package io.hexbus.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JobSlots} without a broker: room bounds what is held, the slots bound what runs, a replacement for a stuck
 * thread keeps the slot count, a drain ends when the jobs do or at its deadline, and abandonment hands back the jobs
 * never started. Jobs wait on latches the test opens; no sleeps, no durations asserted.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class JobSlotsTest {

    /** A bound on waits that end as soon as their condition holds; never reached when the slots work. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final List<JobSlots> created = new ArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void stop() {
        gate.countDown();
        created.forEach(JobSlots::abandon);
    }

    private JobSlots slots(int slots, int readAhead) {
        JobSlots made = new JobSlots(slots, readAhead, "test-job");
        created.add(made);
        return made;
    }

    /** A job that counts itself started, then waits for the gate (or an interrupt). */
    private Runnable gated(CountDownLatch started, AtomicInteger interrupted) {
        return () -> {
            started.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        };
    }

    @Test
    void roomBoundsWhatIsHeld() {
        JobSlots slots = slots(2, 3);

        assertEquals(5, slots.awaitRoom(Duration.ofMillis(1)), "room for the slots plus the read-ahead");
        assertEquals(5, slots.holdUpTo(10));
        assertEquals(0, slots.holdUpTo(1));
        assertEquals(0, slots.awaitRoom(Duration.ofMillis(1)), "no room left");

        slots.release(2);
        assertEquals(2, slots.awaitRoom(Duration.ofMillis(1)));
        assertEquals(2, slots.awaitRoom(Duration.ofMillis(1)), "awaiting room takes none");
        slots.hold();
        slots.release();
        assertEquals(1, slots.holdUpTo(1));
        assertEquals(1, slots.holdUpTo(5));
        assertEquals(0, slots.holdUpTo(5));
    }

    @Test
    void holdWaitsForRoomGivenBack() {
        JobSlots slots = slots(1, 0);
        slots.hold();
        CompletableFuture<Void> second = CompletableFuture.runAsync(slots::hold);

        slots.release();

        await().atMost(PATIENCE).until(second::isDone);
        assertEquals(0, slots.holdUpTo(1), "the waiting hold took the room");
    }

    @Test
    void runsAtMostTheSlotsAtOnceAndAbandonReturnsTheJobsNeverStarted() {
        JobSlots slots = slots(2, 0);
        CountDownLatch started = new CountDownLatch(2);
        AtomicInteger interrupted = new AtomicInteger();
        List<Runnable> running = List.of(gated(started, interrupted), gated(started, interrupted));
        List<Runnable> queued = List.of(gated(started, interrupted), gated(started, interrupted));
        running.forEach(job -> assertTrue(slots.submit(job)));
        await().atMost(PATIENCE).until(() -> started.getCount() == 0);
        queued.forEach(job -> assertTrue(slots.submit(job)));

        List<Runnable> abandoned = slots.abandon();

        assertEquals(queued, abandoned, "both slots were busy: the later jobs never started");
        await().atMost(PATIENCE).until(() -> interrupted.get() == 2);
        assertFalse(slots.submit(() -> { }), "an abandoned pool takes no more jobs");
    }

    @Test
    void aReplacementForAStuckThreadKeepsTheSlotCount() {
        JobSlots slots = slots(1, 0);
        CountDownLatch stuckStarted = new CountDownLatch(1);
        CountDownLatch stuckReturned = new CountDownLatch(1);
        assertTrue(slots.submit(() -> {
            stuckStarted.countDown();
            awaitUninterruptibly(gate); // a handler that ignores its timeout's interrupt
            stuckReturned.countDown();
        }));
        await().atMost(PATIENCE).until(() -> stuckStarted.getCount() == 0);

        slots.addReplacement(); // the watchdog's timeout action, before it submits the rest of the round
        CountDownLatch ranBeside = new CountDownLatch(1);
        assertTrue(slots.submit(ranBeside::countDown));

        await().atMost(PATIENCE).until(() -> ranBeside.getCount() == 0);
        assertEquals(1, stuckReturned.getCount(), "it ran while the stuck thread still held its handler");
        assertEquals(2, slots.jobThreads());

        gate.countDown();
        await().atMost(PATIENCE).until(() -> stuckReturned.getCount() == 0);
        slots.removeReplacement(); // the stuck thread is back
        assertEquals(1, slots.jobThreads());
    }

    @Test
    void aReplacementRemovedBeforeItWasAddedNeverLeavesTheSlotsWithoutAThread() {
        JobSlots one = slots(1, 0);
        one.removeReplacement(); // the handler returned before the watchdog added its replacement
        assertEquals(1, one.jobThreads(), "never below one thread");
        one.addReplacement();
        assertEquals(1, one.jobThreads());

        JobSlots three = slots(3, 0);
        three.removeReplacement();
        assertEquals(2, three.jobThreads());
        three.addReplacement();
        assertEquals(3, three.jobThreads());
        CountDownLatch ran = new CountDownLatch(1);
        assertTrue(three.submit(ran::countDown));
        await().atMost(PATIENCE).until(() -> ran.getCount() == 0);
    }

    @Test
    void drainReturnsTrueOnceTheSubmittedJobsFinished() throws Exception {
        JobSlots slots = slots(1, 0);
        CountDownLatch started = new CountDownLatch(2);
        AtomicInteger finished = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            assertTrue(slots.submit(() -> {
                started.countDown();
                awaitUninterruptibly(gate);
                finished.incrementAndGet();
            }));
        }
        Future<Boolean> drained = CompletableFuture.supplyAsync(() -> drain(slots, PATIENCE, () -> false));
        await().atMost(PATIENCE).until(() -> !slots.submit(() -> { }));
        assertFalse(drained.isDone(), "the jobs still wait at the gate");

        gate.countDown();

        assertTrue(drained.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(2, finished.get(), "the queued job ran too");
    }

    @Test
    void drainReturnsFalseAtItsDeadline() throws Exception {
        JobSlots slots = slots(1, 0);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        assertTrue(slots.submit(gated(started, interrupted)));
        await().atMost(PATIENCE).until(() -> started.getCount() == 0);

        assertFalse(slots.drain(Duration.ofMillis(50), () -> false), "the job still runs, something is held");

        assertEquals(List.of(), slots.abandon());
        await().atMost(PATIENCE).until(() -> interrupted.get() == 1);
    }

    @Test
    void drainDoesNotWaitForAThreadThatHoldsNothing() throws Exception {
        JobSlots slots = slots(1, 0);
        CountDownLatch started = new CountDownLatch(1);
        assertTrue(slots.submit(gated(started, new AtomicInteger())));
        await().atMost(PATIENCE).until(() -> started.getCount() == 0);

        assertTrue(slots.drain(PATIENCE, () -> true), "a thread stuck past its timeout holds no entry");
    }

    @Test
    void drainWaitsForQueuedJobsEvenWhenNothingIsHeld() throws Exception {
        JobSlots slots = slots(1, 0);
        CountDownLatch started = new CountDownLatch(1);
        assertTrue(slots.submit(gated(started, new AtomicInteger())));
        await().atMost(PATIENCE).until(() -> started.getCount() == 0);
        AtomicInteger queuedRan = new AtomicInteger();
        assertTrue(slots.submit(queuedRan::incrementAndGet));

        assertFalse(slots.drain(Duration.ofMillis(50), () -> true), "a queued job is not settled");
        assertEquals(0, queuedRan.get());
    }

    @Test
    void daemonThreadsAreNamedAndNumbered() {
        ThreadFactory threads = JobSlots.daemonThreads("test-named");
        Thread first = threads.newThread(() -> { });
        Thread second = threads.newThread(() -> { });

        assertEquals("test-named-1", first.getName());
        assertEquals("test-named-2", second.getName());
        assertTrue(first.isDaemon() && second.isDaemon());
    }

    @Test
    void rejectsAPoolWithoutSlots() {
        assertThrows(IllegalArgumentException.class, () -> new JobSlots(0, 1, "test-none"));
        assertThrows(IllegalArgumentException.class, () -> new JobSlots(1, -1, "test-none"));
    }

    private static boolean drain(JobSlots slots, Duration deadline, BooleanSupplier nothingHeld) {
        try {
            return slots.drain(deadline, nothingHeld);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
