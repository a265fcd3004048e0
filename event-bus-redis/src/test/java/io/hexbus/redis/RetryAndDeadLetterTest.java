package io.hexbus.redis;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.api.handling.NonRetryableException;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.redis.testing.RedisTestTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retries with backoff, per-subscription outcomes, the dead-letter queue and its operations, statistics. */
class RetryAndDeadLetterTest extends RedisTransportTestBase {

    @Test
    void retriesWaitTheBackoffThenDeadLetterWithTheLastError() {
        RedisTestTransport redis = transport();
        List<Long> attemptsAt = new CopyOnWriteArrayList<>();
        processor.register(OrderPlaced.class, "always-fails", (OrderPlaced e) -> {
            attemptsAt.add(System.nanoTime());
            throw new IllegalStateException("warehouse down, attempt " + attemptsAt.size());
        }, FAST_RETRIES);
        redis.startWorker();
        OrderPlaced event = OrderPlaced.of("o-1");

        redis.transport().eventBus().publish(event);

        QueueStats stats = awaitStats(redis, s -> s.deadLettered() == 1);
        assertEquals(3, attemptsAt.size(), "the first attempt and 2 retries");
        long firstGap = (attemptsAt.get(1) - attemptsAt.get(0)) / 1_000_000;
        long secondGap = (attemptsAt.get(2) - attemptsAt.get(1)) / 1_000_000;
        assertTrue(firstGap >= 190, "first retry after about 200 ms, was " + firstGap);
        assertTrue(secondGap >= 390, "second retry after about 400 ms, was " + secondGap);
        assertEquals(3, stats.failedAttempts());
        assertEquals(0, stats.completed());
        DeadLetter dead = redis.transport().admin().deadLetter(event.eventId()).orElseThrow();
        assertEquals(List.of("always-fails"), dead.failedSubscriptions());
        assertEquals(3, dead.attempts());
        assertTrue(dead.lastError().startsWith("subscription 'always-fails': java.lang.IllegalStateException:"
                + " warehouse down, attempt 3\n\tat "), dead.lastError());
        assertFalse(dead.firstFailedAt().isAfter(dead.lastFailedAt()));
        assertTrue(dead.envelope().contains("\"orderId\":\"o-1\""), dead.envelope());
        redis.awaitIdle(WAIT);
    }

    @Test
    void aNonRetryableFailureIsDeadLetteredAfterOneAttempt() {
        RedisTestTransport redis = transport();
        AtomicInteger attempts = new AtomicInteger();
        processor.register(OrderPlaced.class, "rejects", (OrderPlaced e) -> {
            attempts.incrementAndGet();
            throw new NonRetryableException("order o-1 has no lines");
        }, FAST_RETRIES);
        redis.startWorker();
        OrderPlaced event = OrderPlaced.of("o-1");

        redis.transport().eventBus().publish(event);

        awaitStats(redis, s -> s.deadLettered() == 1);
        DeadLetter dead = redis.transport().admin().deadLetter(event.eventId()).orElseThrow();
        assertEquals(1, attempts.get());
        assertEquals(1, dead.attempts());
        assertTrue(dead.lastError().contains("order o-1 has no lines"), dead.lastError());
    }

    @Test
    void aRetryRunsOnlyTheSubscriptionThatFailed() {
        RedisTestTransport redis = transport();
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        processor.register(OrderPlaced.class, "steady", (OrderPlaced e) ->
                runs.computeIfAbsent("steady", k -> new AtomicInteger()).incrementAndGet());
        processor.register(OrderPlaced.class, "flaky", (OrderPlaced e) -> {
            if (runs.computeIfAbsent("flaky", k -> new AtomicInteger()).incrementAndGet() == 1) {
                throw new IllegalStateException("first try fails");
            }
        }, FAST_RETRIES);
        redis.startWorker();

        redis.transport().eventBus().publish(OrderPlaced.of("o-1"));

        awaitStats(redis, s -> s.completed() == 1);
        assertEquals(1, runs.get("steady").get(), "the subscription that succeeded is not run again");
        assertEquals(2, runs.get("flaky").get());
        redis.awaitIdle(WAIT);
    }

    @Test
    void aDeadLetterRetryRerunsOnlyTheFailedSubscription() {
        RedisTestTransport redis = transport();
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        CountDownLatch fixed = new CountDownLatch(1);
        processor.register(OrderPlaced.class, "audit", (OrderPlaced e) ->
                runs.computeIfAbsent("audit", k -> new AtomicInteger()).incrementAndGet());
        processor.register(OrderPlaced.class, "mail", (OrderPlaced e) -> {
            runs.computeIfAbsent("mail", k -> new AtomicInteger()).incrementAndGet();
            if (fixed.getCount() > 0) {
                throw new NonRetryableException("mail template missing");
            }
        }, FAST_RETRIES);
        redis.startWorker();
        OrderPlaced event = OrderPlaced.of("o-1");
        redis.transport().eventBus().publish(event);
        awaitStats(redis, s -> s.deadLettered() == 1);
        assertEquals(List.of("mail"), redis.transport().admin().deadLetter(event.eventId()).orElseThrow()
                .failedSubscriptions());

        fixed.countDown();
        assertTrue(redis.transport().admin().retry(event.eventId()));

        QueueStats stats = awaitStats(redis, s -> s.completed() == 1 && s.deadLettered() == 0);
        assertEquals(1, runs.get("audit").get(), "the audit already succeeded: not run again");
        assertEquals(2, runs.get("mail").get());
        assertTrue(redis.transport().admin().deadLetter(event.eventId()).isEmpty());
        assertFalse(redis.transport().admin().retry(event.eventId()), "nothing left to retry");
        assertEquals(0, stats.retryScheduled());
    }

    @Test
    void deadLettersAreListedNewestFirstRemovedAndCleanedByAge() {
        RedisTestTransport redis = transport();
        processor.register(OrderPlaced.class, "rejects", (OrderPlaced e) -> {
            throw new NonRetryableException("no");
        });
        redis.startWorker();
        OrderPlaced first = OrderPlaced.of("first");
        redis.transport().eventBus().publish(first);
        awaitStats(redis, s -> s.deadLettered() == 1);
        OrderPlaced second = OrderPlaced.of("second");
        OrderPlaced third = OrderPlaced.of("third");
        redis.transport().eventBus().publishAll(List.of(second, third));
        awaitStats(redis, s -> s.deadLettered() == 3);

        var page = redis.transport().admin().deadLetters(0, 2);
        assertEquals(3, page.total());
        assertEquals(2, page.items().size());
        assertTrue(page.items().stream().noneMatch(d -> d.eventId().equals(first.eventId())), "oldest is not on page 1");
        assertEquals(List.of(first.eventId()), redis.transport().admin().deadLetters(2, 2).items().stream()
                .map(DeadLetter::eventId).toList());

        assertTrue(redis.transport().admin().remove(second.eventId()));
        assertFalse(redis.transport().admin().remove(second.eventId()));
        assertEquals(0, redis.transport().admin().cleanDeadLetters(Duration.ofHours(1)), "none is an hour old");
        await().atMost(WAIT).until(() -> redis.transport().admin().cleanDeadLetters(Duration.ofMillis(1)) > 0
                || redis.transport().admin().stats().deadLettered() == 0);
        await().atMost(WAIT).until(() -> redis.transport().admin().cleanDeadLetters(Duration.ofMillis(1)) == 0
                && redis.transport().admin().stats().deadLettered() == 0);
        assertEquals(0, redis.transport().admin().deadLetters(0, 10).total());
    }

    @Test
    void statsAfterAScriptedScenario() {
        RedisTestTransport redis = transport();
        processor.register(OrderPlaced.class, "picky", (OrderPlaced e) -> {
            if (e.orderId().startsWith("bad")) {
                throw new NonRetryableException("bad order");
            }
        });
        redis.startWorker();
        redis.transport().eventBus().publishAll(List.of(OrderPlaced.of("good-1"), OrderPlaced.of("good-2"),
                OrderPlaced.of("bad-1")));
        redis.transport().eventBus().publish(new NobodyCares(EventIds.newId(), Instant.now()));

        QueueStats expected = new QueueStats(redis.settings().group(), 0, 0, 0, 0, 2, 1, 1, 0, 1);
        QueueStats stats = awaitStats(redis, s -> s.completed() == 2 && s.deadLettered() == 1 && s.unhandled() == 1);

        assertEquals(expected, stats);
    }

    @Test
    void aHandlerPastItsTimeoutFailsTheAttemptFreesItsSlotAndIsRetried() {
        RedisTestTransport redis = transport(s -> s.withConcurrency(1));
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        registerHangingOnFirstAttempt(attempts, never);
        List<String> other = new CopyOnWriteArrayList<>();
        processor.register(Other.class, "other", (Other e) -> other.add(e.note()));
        redis.startWorker();

        redis.transport().eventBus().publish(OrderPlaced.of("o-1"));
        redis.transport().eventBus().publish(new Other(EventIds.newId(), Instant.now(), EventMetadata.EMPTY, "next"));

        QueueStats stats = awaitStats(redis, s -> s.completed() == 2);
        assertEquals(2, attempts.get());
        assertEquals(1, stats.failedAttempts(), "the timed-out attempt counts as failed");
        assertEquals(List.of("next"), other, "the single slot was freed for the next event");
        never.countDown();
    }

    @Test
    void closingDoesNotWaitForAHandlerStuckPastItsTimeoutWhoseEventIsSettled() {
        RedisTestTransport redis = transport(s -> s.withConcurrency(1).withShutdownDeadline(Duration.ofMinutes(10)));
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        registerHangingOnFirstAttempt(attempts, never);
        RedisEventWorker worker = redis.startWorker();
        redis.transport().eventBus().publish(OrderPlaced.of("o-1"));
        awaitStats(redis, s -> s.completed() == 1);
        try {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(worker::close);

            // The deadline is 10 minutes: returning within the wait means close() did not wait for the stuck thread.
            await().atMost(WAIT).until(closing::isDone);
            assertEquals(0, worker.inFlight());
        } finally {
            never.countDown();
        }
    }

    @Test
    void aTimedOutHandlerStoppedByTheInterruptLeavesNoInterruptBehindAndTheRestOfItsRoundStillRuns() {
        RedisTestTransport redis = transport(s -> s.withConcurrency(1));
        AtomicInteger slowAttempts = new AtomicInteger();
        processor.register(OrderPlaced.class, "slow-once", (OrderPlaced e) -> {
            if (e.orderId().equals("o-1") && slowAttempts.incrementAndGet() == 1) {
                new CountDownLatch(1).await(); // stops when the timeout interrupts it
            }
        }, new SubscriptionOptions(RetryPolicy.exponential(2, Duration.ofMillis(50)), Duration.ofMillis(200)));
        List<String> sawInterrupt = new CopyOnWriteArrayList<>();
        List<String> audited = new CopyOnWriteArrayList<>();
        processor.register(OrderPlaced.class, "audit", (OrderPlaced e) -> {
            if (Thread.currentThread().isInterrupted()) {
                sawInterrupt.add(e.orderId());
            }
            audited.add(e.orderId());
        });
        redis.startWorker();

        for (int i = 1; i <= 5; i++) {
            redis.transport().eventBus().publish(OrderPlaced.of("o-" + i));
        }

        QueueStats stats = awaitStats(redis, s -> s.completed() == 5);
        assertEquals(2, slowAttempts.get(), "timed out once, then retried");
        assertEquals(1, stats.failedAttempts());
        assertEquals(List.of(), sawInterrupt, "the timeout's interrupt must not reach the next handler");
        assertEquals(List.of("o-1", "o-2", "o-3", "o-4", "o-5"), audited.stream().sorted().toList(),
                "the subscription after the timed-out one ran once per event, in the same round");
    }

    /**
     * Registers "hangs-once" (timeout 300 ms, one retry after 100 ms): its first attempt hangs until
     * {@code release} opens, ignoring interrupts, so only the timeout can free its slot; later attempts succeed.
     */
    private void registerHangingOnFirstAttempt(AtomicInteger attempts, CountDownLatch release) {
        processor.register(OrderPlaced.class, "hangs-once", (OrderPlaced e) -> {
            if (attempts.incrementAndGet() == 1) {
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        // keep hanging
                    }
                }
            }
        }, new SubscriptionOptions(RetryPolicy.exponential(2, Duration.ofMillis(100)), Duration.ofMillis(300)));
    }

    @EventName("test.nobody-cares")
    record NobodyCares(UUID eventId, Instant occurredAt) implements io.hexbus.api.event.DomainEvent {
    }

    @EventName("test.other")
    record Other(UUID eventId, Instant occurredAt, EventMetadata metadata, String note)
            implements io.hexbus.api.event.DomainEvent {
    }
}
