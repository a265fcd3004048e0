package io.hexbus.redis;

import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.redis.testing.RedisTestTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdempotentPublishTest extends RedisTransportTestBase {

    @Test
    void twoThreadsPublishingOneIdWriteOneStreamEntryAndReportOneDuplicate() throws Exception {
        RedisTestTransport redis = transport();
        EventBus bus = redis.transport().eventBus();
        OrderPlaced event = OrderPlaced.of("o-1");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Callable<PublishOutcome> publish = () -> {
                start.await();
                return bus.publish(event);
            };
            Future<PublishOutcome> first = pool.submit(publish);
            Future<PublishOutcome> second = pool.submit(publish);
            start.countDown();
            List<PublishOutcome> outcomes = List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS));

            assertTrue(outcomes.contains(PublishOutcome.PUBLISHED) && outcomes.contains(PublishOutcome.DUPLICATE),
                    outcomes::toString);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, redis.raw().xlen(redis.streamKey()));
        assertEquals("1", redis.raw().hget(redis.settings().keyPrefix() + ":stats", "produced"));
        assertEquals("1", redis.raw().hget(redis.settings().keyPrefix() + ":stats", "duplicates"));
    }

    @Test
    void anEventOverTheLimitIsRefusedNamingSizeAndLimitAndTheBatchWritesNothing() {
        RedisTestTransport redis = transport();
        OrderPlaced small = OrderPlaced.of("o-1");
        OrderPlaced huge = new OrderPlaced(EventIds.newId(), Instant.now(), EventMetadata.EMPTY,
                "x".repeat(10 * 1024 * 1024));

        EventTooLargeException thrown = assertThrows(EventTooLargeException.class,
                () -> redis.transport().eventBus().publishAll(List.of(small, huge)));

        assertTrue(thrown.getMessage().matches("event test\\.order-placed " + huge.eventId()
                + " is \\d+ bytes encoded, over the limit of 1048576 bytes"), thrown.getMessage());
        assertEquals(0, redis.raw().xlen(redis.streamKey()));
        assertEquals(PublishOutcome.PUBLISHED, redis.transport().eventBus().publish(small),
                "the refused batch left no dedupe record");
    }

    @Test
    void aBatchOfThousandsFindsEachEarlierAndRepeatedIdWhereverItSits() {
        RedisTestTransport redis = transport();
        EventBus bus = redis.transport().eventBus();
        OrderPlaced earlier = OrderPlaced.of("earlier");
        bus.publish(earlier);
        List<OrderPlaced> batch = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            batch.add(OrderPlaced.of("o-" + i));
        }
        batch.set(1_700, earlier); // in the second thousand of keys the script checks at once
        batch.set(2_400, batch.get(10)); // repeated within the batch

        List<PublishOutcome> outcomes = bus.publishAll(batch);

        List<Integer> duplicates = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) == PublishOutcome.DUPLICATE) {
                duplicates.add(i);
            }
        }
        assertEquals(List.of(1_700, 2_400), duplicates);
        assertEquals(1 + 2_498, redis.raw().xlen(redis.streamKey()));
    }

    @Test
    void theDedupeRecordOutlivesTheTrimmedStreamEntry() {
        RedisTestTransport redis = transport(s -> s.withKeepFinished(1, Duration.ofMillis(1))
                .withMaintenanceInterval(Duration.ofMillis(50)));
        List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
        processor.register(OrderPlaced.class, "collect", (OrderPlaced e) -> handled.add(e.orderId()));
        redis.startWorker();
        EventBus bus = redis.transport().eventBus();
        List<OrderPlaced> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(OrderPlaced.of("o-" + i));
        }
        bus.publishAll(events);
        awaitStats(redis, stats -> stats.completed() == 5);

        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> redis.raw().xlen(redis.streamKey()) == 0);

        assertEquals(PublishOutcome.DUPLICATE, bus.publish(events.get(0)), "trimmed, but still known");
        redis.awaitIdle(WAIT);
        assertEquals(5, handled.size());
    }
}
