package io.hexbus.redis;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.redis.testing.RawRedis;
import io.hexbus.redis.testing.RedisServerProcess;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis stalls, freezes or drops connections under a running worker: publishes fail on schedule, the worker
 * recovers, and every event is handled exactly once per subscription. Each test runs its own redis-server.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisStallTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    @AutoClose
    private final Resources resources = new Resources();

    RedisStallTest() {
        processor.register(OrderPlaced.class, "count", (OrderPlaced e) ->
                handled.computeIfAbsent(e.orderId(), k -> new AtomicInteger()).incrementAndGet());
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    private RedisTransport connect(RedisServerProcess server) {
        RedisTransport transport = keep(RedisTransport.connect(server.connection(),
                RedisQueueSettings.defaults("stall").withVisibilityTimeout(Duration.ofSeconds(5)), processor));
        transport.startWorker();
        return transport;
    }

    /** Publishes until Redis accepts: a timed-out publish may have been written, and repeating it is safe. */
    private static void publishSurely(RedisTransport transport, OrderPlaced event) {
        await().atMost(WAIT).ignoreException(EventPublishingException.class)
                .until(() -> transport.eventBus().publish(event) != null);
    }

    private void assertEachHandledOnce(RedisTransport transport, List<OrderPlaced> events) {
        await().atMost(WAIT).until(() -> events.stream().allMatch(e -> handled.containsKey(e.orderId())));
        await().atMost(WAIT).until(() -> transport.admin().stats().active() == 0
                && transport.admin().stats().reserved() == 0
                && transport.admin().stats().waiting() == 0);
        events.forEach(e -> assertEquals(1, handled.get(e.orderId()).get(), e.orderId() + " handled once"));
    }

    @Test
    void aBlockedRedisTimesPublishesOutOnScheduleAndTheWorkerRecovers() throws Exception {
        RedisServerProcess server = keep(TestRedis.startPrivate("--enable-debug-command", "local"));
        RedisTransport transport = connect(server);
        List<OrderPlaced> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(OrderPlaced.of("before-" + i));
        }
        transport.eventBus().publishAll(events);

        Process sleeping = new ProcessBuilder("redis-cli", "-p", Integer.toString(server.port()), "DEBUG", "SLEEP",
                "4").start();
        OrderPlaced during = OrderPlaced.of("during");
        events.add(during);
        // Within the stall, a publish fails, and each attempt is bounded by the 2 s command timeout.
        await().atMost(Duration.ofSeconds(4)).until(() -> assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
            try {
                transport.eventBus().publish(during);
                return false;
            } catch (EventPublishingException timedOut) {
                return true;
            }
        }));
        assertTrue(sleeping.waitFor(30, TimeUnit.SECONDS));

        publishSurely(transport, during);
        OrderPlaced after = OrderPlaced.of("after");
        events.add(after);
        publishSurely(transport, after);
        assertEachHandledOnce(transport, events);
    }

    @Test
    void aFrozenRedisLosesNothingOnceResumed() throws Exception {
        RedisServerProcess server = keep(TestRedis.startPrivate());
        RedisTransport transport = connect(server);
        List<OrderPlaced> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(OrderPlaced.of("before-" + i));
        }
        transport.eventBus().publishAll(events);

        signal(server.pid(), "STOP");
        OrderPlaced during = OrderPlaced.of("during");
        events.add(during);
        assertThrows(EventPublishingException.class, () -> transport.eventBus().publish(during));
        signal(server.pid(), "CONT");

        publishSurely(transport, during);
        assertEachHandledOnce(transport, events);
    }

    @Test
    void connectionsKilledRepeatedlyLoseAndDoubleNothing() throws Exception {
        RedisServerProcess server = keep(TestRedis.startPrivate());
        RedisTransport transport = connect(server);
        RawRedis raw = keep(RawRedis.to(server.connection()));
        List<OrderPlaced> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            OrderPlaced event = OrderPlaced.of("o-" + i);
            events.add(event);
            publishSurely(transport, event);
            if (i % 30 == 0) {
                raw.commands().clientKill(io.lettuce.core.KillArgs.Builder.typeNormal().skipme(true));
            }
        }

        assertEachHandledOnce(transport, events);
        assertEquals(300, transport.admin().stats().completed());
    }

    @Test
    void failedPublishesToAStoppedRedisDoNotPileUpInMemory() throws Exception {
        RedisServerProcess server = keep(TestRedis.startPrivate());
        RedisTransport transport = connect(server);
        server.stop();
        for (int i = 0; i < 1_000; i++) { // warm up the failure path
            failToPublish(transport);
        }
        long before = usedHeapAfterGc();

        for (int i = 0; i < 10_000; i++) {
            failToPublish(transport);
        }

        long grown = usedHeapAfterGc() - before;
        assertTrue(grown < 16 * 1024 * 1024, "heap grew by " + grown / 1024 + " KiB over 10,000 failed publishes");
    }

    private static void failToPublish(RedisTransport transport) {
        assertThrows(EventPublishingException.class, () -> transport.eventBus().publish(OrderPlaced.of("x")));
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static void signal(long pid, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    }
}
