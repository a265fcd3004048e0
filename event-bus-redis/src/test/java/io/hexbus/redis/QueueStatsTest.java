package io.hexbus.redis;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.redis.testing.RedisTestTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link QueueStats#active()} and {@link QueueStats#reserved()} count on Redis. */
class QueueStatsTest extends RedisTransportTestBase {

    @Test
    void activeCountsRunningHandlersAndReservedWhatTheWorkerReadAhead() throws Exception {
        RedisTestTransport redis = transport(s -> s.withConcurrency(4));
        assertEquals(64, redis.settings().batchSize(), "the default read-ahead");
        CountDownLatch release = new CountDownLatch(1);
        Semaphore started = new Semaphore(0);
        processor.register(OrderPlaced.class, "blocked", (OrderPlaced e) -> {
            started.release();
            release.await();
        });
        redis.startWorker();
        List<DomainEvent> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(OrderPlaced.of("o-" + i));
        }
        redis.transport().eventBus().publishAll(events);
        assertTrue(started.tryAcquire(4, 30, TimeUnit.SECONDS));

        QueueStats stats = awaitStats(redis, s -> s.active() == 4 && s.reserved() == 64);
        assertEquals(100 - 4 - 64, stats.waiting(), "beyond its slots and read-ahead the worker took nothing");
        assertEquals(0, stats.retryScheduled());

        release.countDown();
        awaitStats(redis, s -> s.completed() == 100);
        redis.awaitIdle(WAIT);
        QueueStats after = redis.transport().admin().stats();
        assertEquals(0, after.active());
        assertEquals(0, after.reserved());
    }

    @Test
    void aStoppedWorkersEventsAreReservedNotActive() throws Exception {
        RedisTestTransport redis = transport(s -> s.withConcurrency(2).withShutdownDeadline(Duration.ofMillis(200)));
        Semaphore started = new Semaphore(0);
        processor.register(OrderPlaced.class, "hangs", (OrderPlaced e) -> {
            started.release();
            new CountDownLatch(1).await(); // until its worker stops
        });
        redis.startWorker();
        redis.transport().eventBus().publishAll(List.of(OrderPlaced.of("o-1"), OrderPlaced.of("o-2")));
        assertTrue(started.tryAcquire(2, 30, TimeUnit.SECONDS));
        awaitStats(redis, s -> s.active() == 2);

        redis.transport().close(); // past the deadline: both left pending for another worker

        RedisTestTransport reader = sibling(redis, s -> s);
        QueueStats stats = reader.transport().admin().stats();
        assertEquals(0, stats.active(), "the stopped worker withdrew its count of running handlers");
        assertEquals(2, stats.reserved(), "held until another worker takes them over");
    }

    @Test
    void aReportOfAWorkerThatDiedStopsCountingAtItsDeadline() {
        RedisTestTransport redis = transport();
        String key = redis.settings().keyPrefix() + ":g:" + redis.settings().group() + ":active";
        List<String> time = redis.raw().time();
        long now = Long.parseLong(time.get(0)) * 1_000 + Long.parseLong(time.get(1)) / 1_000;
        redis.raw().hset(key, "died-an-hour-ago", "4 " + (now - 3_600_000));
        redis.raw().hset(key, "alive", "3 " + (now + 3_600_000));

        assertEquals(3, RedisQueueAdmin.liveCount(redis.raw().hgetall(key).values(), now));
        assertEquals(0, RedisQueueAdmin.liveCount(List.of("3 " + now, "x y", "5"), now),
                "a report valid until now has lapsed; malformed ones count as none");
    }
}
