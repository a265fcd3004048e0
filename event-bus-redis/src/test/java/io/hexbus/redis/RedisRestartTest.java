package io.hexbus.redis;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.redis.testing.RawRedis;
import io.hexbus.redis.testing.RedisServerProcess;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis goes away under a running worker and comes back; each test runs its own redis-server. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final Set<String> handled = ConcurrentHashMap.newKeySet();

    RedisRestartTest() {
        processor.register(OrderPlaced.class, "collect", (OrderPlaced e) -> handled.add(e.orderId()));
    }

    private static List<OrderPlaced> orders(String prefix, int count) {
        List<OrderPlaced> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            orders.add(OrderPlaced.of(prefix + i));
        }
        return orders;
    }

    @Test
    void withAofAlwaysEveryAcknowledgedPublishSurvivesACrashAndTheWorkerResumes() throws Exception {
        try (RedisServerProcess server = TestRedis.startPrivate("--appendonly", "yes", "--appendfsync", "always");
             RedisTransport transport = RedisTransport.connect(server.connection(),
                     RedisQueueSettings.defaults("restart"), processor)) {
            transport.startWorker();
            List<OrderPlaced> before = orders("before-", 50);
            transport.eventBus().publishAll(before);
            await().atMost(WAIT).until(() -> handled.size() == 50);
            List<OrderPlaced> unread = orders("unread-", 20);
            transport.eventBus().publishAll(unread); // acknowledged by Redis; the worker may or may not get to them

            server.kill();
            server.restart();

            List<OrderPlaced> after = orders("after-", 30);
            await().atMost(WAIT).ignoreException(EventPublishingException.class)
                    .until(() -> transport.eventBus().publishAll(after).contains(PublishOutcome.PUBLISHED));
            await().atMost(WAIT).until(() -> handled.size() == 100);
            try (RawRedis raw = RawRedis.to(server.connection())) {
                assertEquals(1, raw.commands().xinfoGroups(RedisQueueSettings.DEFAULT_PREFIX + ":stream").size(),
                        "the consumer group survived");
            }
            assertEquals(PublishOutcome.DUPLICATE, transport.eventBus().publish(before.get(0)),
                    "the dedupe records survived too");
            await().atMost(WAIT).until(() -> transport.admin().stats().completed() == 100);
        }
    }

    @Test
    void withoutPersistenceTheGroupIsRecreatedAndNewEventsFlowAgain() throws Exception {
        try (RedisServerProcess server = TestRedis.startPrivate("--appendonly", "no");
             RedisTransport transport = RedisTransport.connect(server.connection(),
                     RedisQueueSettings.defaults("restart"), processor)) {
            transport.startWorker();
            transport.eventBus().publishAll(orders("before-", 10));
            await().atMost(WAIT).until(() -> handled.size() == 10);

            server.kill();
            server.restart(); // empty: no stream, no group

            List<OrderPlaced> after = orders("after-", 10);
            await().atMost(WAIT).ignoreException(EventPublishingException.class)
                    .until(() -> transport.eventBus().publishAll(after).contains(PublishOutcome.PUBLISHED));
            await().atMost(WAIT).until(() -> handled.containsAll(
                    after.stream().map(OrderPlaced::orderId).collect(Collectors.toSet())));
        }
    }

    @Test
    void aFullRedisWithNoevictionRefusesAPublishClearlyAndWritesNothingOfTheBatch() throws Exception {
        try (RedisServerProcess server = TestRedis.startPrivate("--maxmemory", "2mb", "--maxmemory-policy",
                "noeviction");
             RedisTransport transport = RedisTransport.connect(server.connection(),
                     RedisQueueSettings.defaults("full"), processor);
             RawRedis raw = RawRedis.to(server.connection())) {
            String stream = RedisQueueSettings.DEFAULT_PREFIX + ":stream";
            EventPublishingException full = null;
            for (int batch = 0; batch < 1_000 && full == null; batch++) {
                long before = raw.commands().exists(stream) == 1 ? raw.commands().xlen(stream) : 0;
                List<OrderPlaced> orders = orders("b" + batch + "-" + "x".repeat(2_000) + "-", 20);
                try {
                    transport.eventBus().publishAll(orders);
                } catch (EventPublishingException e) {
                    full = e;
                    assertEquals(before, raw.commands().exists(stream) == 1 ? raw.commands().xlen(stream) : 0,
                            "nothing of the refused batch was written");
                }
            }

            assertTrue(full != null, "Redis never reported it was full");
            assertTrue(full.getMessage().contains("OOM"), full.getMessage());
            assertTrue(full.getMessage().startsWith("could not publish 20 event(s) to Redis at redis://127.0.0.1:"),
                    full.getMessage());
        }
    }
}
