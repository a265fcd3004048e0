package io.hexbus.redis;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.redis.testing.RedisTestTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A handler that throws an {@link Error} has failed its attempt, like one that throws an exception: logged
 * with its stack, retried by its policy, counted, and dead-lettered with that error. Not a crashed worker.
 */
class HandlerErrorTest extends RedisTransportTestBase {

    // Short, so that an error wrongly treated as a crash shows as takeovers within the test's wait.
    private static final Duration SHORT_VISIBILITY = Duration.ofSeconds(1);

    @Test
    void aStackOverflowInAHandlerIsAFailedAttemptRetriedThenDeadLetteredWithIt() {
        RedisTestTransport redis = transport(s -> s.withVisibilityTimeout(SHORT_VISIBILITY));
        AtomicInteger runs = new AtomicInteger();
        processor.register(OrderPlaced.class, "recurses", (OrderPlaced e) -> {
            runs.incrementAndGet();
            recurse(1);
        }, FAST_RETRIES);
        redis.startWorker();

        try (LogLines log = LogLines.capture()) {
            redis.transport().eventBus().publish(OrderPlaced.of("o-deep"));
            awaitStats(redis, s -> s.deadLettered() == 1);
            QueueStats stats = redis.transport().admin().stats(); // read after: all of the dead-lettering shows

            assertEquals(3, runs.get(), "the first attempt and its two retries");
            assertEquals(3, stats.failedAttempts());
            assertEquals(0, stats.takeovers(), "the worker did not crash");
            DeadLetter dead = redis.transport().admin().deadLetters(0, 1).items().get(0);
            assertEquals(3, dead.attempts());
            assertTrue(dead.lastError().contains("java.lang.StackOverflowError"), dead.lastError());
            assertLoggedWithItsStack(log, "java.lang.StackOverflowError");
        }
    }

    @Test
    void anAssertionErrorInAHandlerIsAFailedAttemptAndTheRetrySucceeds() {
        RedisTestTransport redis = transport(s -> s.withVisibilityTimeout(SHORT_VISIBILITY));
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger others = new AtomicInteger();
        processor.register(OrderPlaced.class, "asserts", (OrderPlaced e) -> {
            if (runs.incrementAndGet() == 1) {
                throw new AssertionError("stock must not be negative"); // what a failing assert throws
            }
        }, FAST_RETRIES);
        processor.register(OrderPlaced.class, "other", (OrderPlaced e) -> others.incrementAndGet());
        redis.startWorker();

        try (LogLines log = LogLines.capture()) {
            redis.transport().eventBus().publish(OrderPlaced.of("o-assert"));
            awaitStats(redis, s -> s.completed() == 1);
            QueueStats stats = redis.transport().admin().stats();

            assertEquals(2, runs.get());
            assertEquals(1, others.get(), "the subscription that succeeded is not run again by the retry");
            assertEquals(1, stats.failedAttempts());
            assertEquals(0, stats.takeovers());
            assertEquals(0, stats.deadLettered());
            assertLoggedWithItsStack(log, "java.lang.AssertionError: stock must not be negative");
        }
    }

    @Test
    void aLinkageErrorInAHandlerIsAFailedAttemptRetriedThenDeadLetteredWithIt() {
        RedisTestTransport redis = transport(s -> s.withVisibilityTimeout(SHORT_VISIBILITY));
        AtomicInteger runs = new AtomicInteger();
        processor.register(OrderPlaced.class, "broken-class", (OrderPlaced e) -> {
            runs.incrementAndGet();
            BrokenOnLoad.touch(); // ExceptionInInitializerError first, NoClassDefFoundError after
        }, FAST_RETRIES);
        redis.startWorker();

        redis.transport().eventBus().publish(OrderPlaced.of("o-linkage"));
        awaitStats(redis, s -> s.deadLettered() == 1);
        QueueStats stats = redis.transport().admin().stats();

        assertEquals(3, runs.get());
        assertEquals(3, stats.failedAttempts());
        assertEquals(0, stats.takeovers());
        DeadLetter dead = redis.transport().admin().deadLetters(0, 1).items().get(0);
        assertEquals(List.of("broken-class"), dead.failedSubscriptions());
        assertEquals(3, dead.attempts());
        assertTrue(dead.lastError().contains("java.lang.NoClassDefFoundError"), dead.lastError());
        await().atMost(WAIT).until(redis::workersIdle);
        QueueStats after = redis.transport().admin().stats();
        assertEquals(0, after.active() + after.reserved(), "nothing left held by the worker");
    }

    /** The logger prints a throwable as its own line ({@code toString()}), then its frames. */
    private static void assertLoggedWithItsStack(LogLines log, String error) {
        await().atMost(WAIT).until(() -> log.lines().stream().anyMatch(line -> line.startsWith(error)));
        List<String> lines = log.lines();
        int at = lines.indexOf(lines.stream().filter(line -> line.startsWith(error)).findFirst().orElseThrow());
        assertTrue(at > 0 && lines.get(at - 1).contains("a failed attempt"), () -> "logged as a failed attempt: "
                + lines.subList(Math.max(0, at - 1), at + 1));
        assertTrue(at + 1 < lines.size() && lines.get(at + 1).startsWith("\tat "),
                () -> "a stack follows the error: " + lines.subList(at, Math.min(lines.size(), at + 3)));
        assertFalse(lines.stream().anyMatch(line -> line.contains("ended by")), "no thread died");
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    /** A class whose static initialiser fails: every use of it throws a {@link LinkageError}. */
    private static final class BrokenOnLoad {
        static final int VALUE = Integer.parseInt("not a number");

        static int touch() {
            return VALUE;
        }
    }
}
