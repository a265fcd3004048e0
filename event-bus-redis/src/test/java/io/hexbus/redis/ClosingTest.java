package io.hexbus.redis;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.redis.testing.RedisTestTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closing workers and transports, from one thread or several at once. */
class ClosingTest extends RedisTransportTestBase {

    @Test
    void aTransportClosedWhileItsWorkersAreClosingWaitsForThemAndEveryEventIsHandledOnce() throws Exception {
        RedisTestTransport first = transport(s -> s.withConcurrency(2).withVisibilityTimeout(Duration.ofSeconds(1))
                .withShutdownDeadline(Duration.ofSeconds(30)));
        Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger handled = new AtomicInteger();
        CountDownLatch twoHundredHandled = new CountDownLatch(1);
        processor.register(OrderPlaced.class, "count", (OrderPlaced e) -> {
            Thread.sleep(2); // the handler's work
            runs.computeIfAbsent(e.eventId(), id -> new AtomicInteger()).incrementAndGet();
            if (handled.incrementAndGet() == 200) {
                twoHundredHandled.countDown();
            }
        });
        List<RedisEventWorker> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(first.startWorker());
        }
        List<DomainEvent> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            events.add(OrderPlaced.of("o-" + i));
        }
        first.transport().eventBus().publishAll(events);
        assertTrue(twoHundredHandled.await(60, TimeUnit.SECONDS));

        ExecutorService closers = Executors.newFixedThreadPool(5);
        CountDownLatch workersClosing = new CountDownLatch(workers.size());
        List<Future<?>> closes = new ArrayList<>();
        for (RedisEventWorker worker : workers) {
            closes.add(closers.submit(() -> {
                workersClosing.countDown();
                worker.close();
            }));
        }
        closes.add(closers.submit(() -> {
            workersClosing.await(); // right after the workers' own closes began, while they still drain
            first.transport().close();
            return null;
        }));
        for (Future<?> close : closes) {
            close.get(60, TimeUnit.SECONDS);
        }
        closers.shutdown();

        RedisTestTransport second = sibling(first, s -> s);
        second.startWorker();
        await().atMost(Duration.ofSeconds(60)).until(() -> runs.size() == events.size());
        second.awaitIdle(WAIT);

        List<UUID> twice = runs.entrySet().stream().filter(e -> e.getValue().get() != 1).map(Map.Entry::getKey)
                .toList();
        assertEquals(0, twice.size(), () -> twice.size() + " events handled more than once (their acknowledgements"
                + " were lost), e.g. " + twice.get(0));
        QueueStats stats = second.transport().admin().stats();
        assertEquals(0, stats.takeovers(), "nothing finished was left pending for the next worker to take over");
        assertEquals(1_000, stats.completed());
    }

    @Test
    void closingAWorkerThatAnotherThreadIsClosingReturnsOnlyOnceItHasStopped() throws Exception {
        RedisTestTransport redis = transport();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        processor.register(OrderPlaced.class, "slow", (OrderPlaced e) -> {
            started.countDown();
            release.await();
        });
        RedisEventWorker worker = redis.startWorker();
        redis.transport().eventBus().publish(OrderPlaced.of("o-1"));
        assertTrue(started.await(30, TimeUnit.SECONDS));

        ExecutorService closers = Executors.newFixedThreadPool(2);
        CountDownLatch bothClosing = new CountDownLatch(2);
        Callable<Integer> close = () -> {
            bothClosing.countDown();
            worker.close();
            return worker.inFlight();
        };
        Future<Integer> one = closers.submit(close);
        Future<Integer> other = closers.submit(close);
        assertTrue(bothClosing.await(30, TimeUnit.SECONDS));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                .until(() -> !one.isDone() && !other.isDone());

        release.countDown();
        assertEquals(0, one.get(30, TimeUnit.SECONDS), "returned after the worker settled its event");
        assertEquals(0, other.get(30, TimeUnit.SECONDS), "returned after the worker settled its event");
        closers.shutdown();
        assertEquals(1, redis.transport().admin().stats().completed());
    }

    @Test
    void closingATransportTwiceIsASilentNoOp() {
        RedisTestTransport redis = transport();
        redis.startWorker();
        redis.transport().close();

        try (LogLines log = LogLines.capture()) {
            redis.transport().close();
            assertEquals(List.of(), log.containing("already closed"));
            assertEquals(List.of(), log.containing("WARN"));
        }
        assertThrows(IllegalStateException.class, () -> redis.transport().startWorker());
    }
}
