package io.hexbus.redis;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.redis.testing.RedisTestTransport;
import io.lettuce.core.Consumer;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.Range;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Redis adds to the queued contract's leases and takeovers ({@code RedisQueuedTransportContractTest}): the
 * takeover limit, fencing, entries read by a consumer that vanished, and a vanished consumer group.
 */
class RecoveryTest extends RedisTransportTestBase {

    private static final Duration SHORT_VISIBILITY = Duration.ofSeconds(1);

    @Test
    void anEventWhoseWorkersKeepStoppingIsDeadLetteredOnceItIsTakenOverMoreThanMaxTakeovers() throws Exception {
        RedisTestTransport first = transport(s -> s.withVisibilityTimeout(SHORT_VISIBILITY)
                .withShutdownDeadline(Duration.ofMillis(200)).withMaxTakeovers(1));
        AtomicInteger starts = new AtomicInteger();
        Semaphore started = new Semaphore(0);
        processor.register(OrderPlaced.class, "hangs", (OrderPlaced e) -> {
            starts.incrementAndGet();
            started.release();
            new CountDownLatch(1).await(); // until its worker stops: this event stops every worker that takes it
        });
        first.startWorker();
        OrderPlaced event = OrderPlaced.of("o-stops-workers");
        first.transport().eventBus().publish(event);
        assertTrue(started.tryAcquire(30, TimeUnit.SECONDS));
        first.transport().close();

        RedisTestTransport second = sibling(first, s -> s);
        second.startWorker();
        assertTrue(started.tryAcquire(30, TimeUnit.SECONDS), "taken over once: within the limit, handled again");
        second.transport().close();

        RedisTestTransport third = sibling(first, s -> s);
        third.startWorker();
        QueueStats stats = awaitStats(third, s -> s.deadLettered() == 1);

        assertEquals(2, starts.get(), "taken over a second time, over the limit: not handled a third time");
        assertEquals(2, stats.takeovers());
        assertEquals(0, stats.failedAttempts(), "takeovers are still not failed attempts");
        DeadLetter dead = third.transport().admin().deadLetters(0, 10).items().get(0);
        assertEquals(event.eventId(), dead.eventId());
        assertEquals(List.of("hangs"), dead.failedSubscriptions());
        assertTrue(dead.lastError().contains("taken over 2 times, more than maxTakeovers (1)"), dead.lastError());
    }

    @Test
    void aWorkerThatLostItsLeaseCannotAcknowledge() throws Exception {
        RedisTestTransport redis = transport();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        processor.register(OrderPlaced.class, "slow", (OrderPlaced e) -> {
            runs.incrementAndGet();
            started.countDown();
            release.await();
        });
        redis.startWorker();
        redis.transport().eventBus().publish(OrderPlaced.of("o-1"));
        assertTrue(started.await(30, TimeUnit.SECONDS));

        // Another consumer takes the entry over, as after a lapsed lease.
        String group = redis.settings().group();
        PendingMessage held = redis.raw().xpending(redis.streamKey(), group, Range.create("-", "+"),
                io.lettuce.core.Limit.from(1)).get(0);
        redis.raw().xclaim(redis.streamKey(), Consumer.from(group, "thief"), 0, held.getId());
        release.countDown();

        await().atMost(WAIT).until(() -> redis.workersIdle());
        List<PendingMessage> pending = redis.raw().xpending(redis.streamKey(), group, Range.create("-", "+"),
                io.lettuce.core.Limit.from(10));
        assertEquals(1, pending.size(), "the refused acknowledgement left the entry pending");
        assertEquals("thief", pending.get(0).getConsumer());
        assertEquals(0, redis.transport().admin().stats().completed());
        assertEquals(1, runs.get());
    }

    @Test
    @SuppressWarnings("unchecked") // one StreamOffset through Lettuce's generic varargs
    void aDeadWorkersEventsAreTakenOverAfterTheVisibilityTimeoutHoweverManyEventsWaitForARetry() {
        RedisTestTransport first = transport(s -> s.withVisibilityTimeout(SHORT_VISIBILITY));
        java.util.Set<String> handled = java.util.concurrent.ConcurrentHashMap.newKeySet();
        processor.register(OrderPlaced.class, "waits-an-hour", (OrderPlaced e) -> {
            if (e.orderId().startsWith("waiting-")) {
                throw new IllegalStateException("retry in an hour");
            }
            handled.add(e.orderId());
        }, io.hexbus.api.handling.SubscriptionOptions.DEFAULT
                .withRetryPolicy(RetryPolicy.exponential(1, Duration.ofHours(1))));
        first.startWorker();
        List<OrderPlaced> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            waiting.add(OrderPlaced.of("waiting-" + i));
        }
        first.transport().eventBus().publishAll(waiting);
        awaitStats(first, s -> s.retryScheduled() == 100);
        first.transport().close();

        // A worker reads 5 events and dies without a trace: they stay pending under its name, never renewed.
        List<OrderPlaced> abandoned = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            abandoned.add(OrderPlaced.of("abandoned-" + i));
        }
        RedisTestTransport second = sibling(first, s -> s);
        second.transport().eventBus().publishAll(abandoned);
        assertEquals(5, second.raw().xreadgroup(Consumer.from(second.settings().group(), "dead-worker"),
                io.lettuce.core.XReadArgs.StreamOffset.lastConsumed(second.streamKey())).size());
        second.startWorker();

        // Well before the hour of backoff is over: 100 entries waiting for their retry do not hide them.
        await().atMost(WAIT).until(() -> handled.size() == 5);
        QueueStats stats = awaitStats(second, s -> s.completed() == 5);
        assertEquals(5, stats.takeovers());
        assertEquals(100, stats.retryScheduled(), "the retries still wait for their backoff");
    }

    @Test
    void aVanishedConsumerGroupIsRecreatedAndConsumingResumes() {
        RedisTestTransport redis = transport();
        java.util.Set<String> handled = java.util.concurrent.ConcurrentHashMap.newKeySet();
        processor.register(OrderPlaced.class, "collect", (OrderPlaced e) -> handled.add(e.orderId()));
        redis.startWorker();
        redis.transport().eventBus().publish(OrderPlaced.of("before"));
        awaitStats(redis, s -> s.completed() == 1);

        redis.raw().xgroupDestroy(redis.streamKey(), redis.settings().group());
        redis.transport().eventBus().publish(OrderPlaced.of("after"));

        await().atMost(WAIT).until(() -> handled.contains("after"));
        assertTrue(redis.raw().xinfoGroups(redis.streamKey()).size() == 1, "the group exists again");
    }

}
