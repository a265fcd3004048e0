package io.hexbus.redis;

import io.hexbus.api.publishing.PublishOptions;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.redis.testing.RedisTestTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delayed events on Redis: where they wait, how they are released, what they leave behind. */
class DelayedEventsTest extends RedisTransportTestBase {

    @Test
    void aDelayedEventWaitsInTheScheduledSetThenEntersTheStreamAsAnImmediateOneWouldAndLeavesNothing() {
        RedisTestTransport redis = transport();
        String prefix = redis.settings().keyPrefix();
        List<UUID> handled = new CopyOnWriteArrayList<>();
        processor.register(OrderPlaced.class, "orders", (OrderPlaced e) -> handled.add(e.eventId()));
        OrderPlaced now = OrderPlaced.of("o-1");
        OrderPlaced later = OrderPlaced.of("o-2");
        redis.transport().eventBus().publish(now);

        assertEquals(PublishOutcome.PUBLISHED, redis.transport().eventBus().publish(later,
                PublishOptions.deliverAfter(Duration.ofSeconds(1))));

        assertEquals(1, redis.raw().zcard(prefix + ":scheduled"));
        assertEquals(1, redis.raw().hlen(prefix + ":scheduled-envelopes"));
        assertEquals(1, redis.raw().exists(prefix + ":dedupe:" + later.eventId()), "deduplicated from publish on");
        assertEquals("2", redis.raw().hget(prefix + ":stats", "produced"), "counted when accepted");
        assertEquals(1, redis.raw().xlen(redis.streamKey()), "not in the stream before it is due");

        redis.startWorker();
        await().atMost(WAIT).until(() -> handled.contains(later.eventId()));
        List<Map<String, String>> entries = redis.raw().xrange(redis.streamKey(), io.lettuce.core.Range.create("-",
                "+")).stream().map(m -> m.getBody()).toList();
        assertEquals(2, entries.size());
        assertEquals(entries.get(0).keySet(), entries.get(1).keySet(), "the same fields as an immediate entry");
        assertEquals(Set.of("i", "n", "e"), entries.get(1).keySet());
        assertEquals(later.eventId().toString(), entries.get(1).get("i"));
        assertEquals(entries.get(0).get("n"), entries.get(1).get("n"));
        assertTrue(entries.get(1).get("e").contains(later.eventId().toString()), entries.get(1).get("e"));
        assertEquals(0, redis.raw().exists(prefix + ":scheduled", prefix + ":scheduled-envelopes"),
                "released: the scheduled set and its envelopes are gone");
        redis.awaitIdle(WAIT);
        assertEquals(List.of(now.eventId(), later.eventId()), handled);
    }

    @Test
    void aDelayedEventsDedupeRecordLastsTheWindowAfterItsDueTimeNotAfterItsPublish() {
        RedisTestTransport redis = transport();
        OrderPlaced later = OrderPlaced.of("o-late");
        long window = redis.settings().dedupeWindow().toMillis();
        Duration delay = Duration.ofDays(30); // longer than the window: counted from publish, the record would go first

        redis.transport().eventBus().publish(later, PublishOptions.deliverAfter(delay));

        long ttl = redis.raw().pttl(redis.settings().keyPrefix() + ":dedupe:" + later.eventId());
        assertTrue(ttl > window + delay.toMillis() - 60_000 && ttl <= window + delay.toMillis(),
                "the record lives the delay and then the window: " + ttl + " ms");
        assertEquals(PublishOutcome.DUPLICATE, redis.transport().eventBus().publish(later));
    }

    @Test
    void anInstantIsDueOnTheRedisClockAndOneAlreadyPastIsAnImmediatePublish() {
        RedisTestTransport redis = transport();
        String prefix = redis.settings().keyPrefix();
        List<String> time = redis.raw().time();
        Instant redisNow = Instant.ofEpochSecond(Long.parseLong(time.get(0)), Long.parseLong(time.get(1)) * 1_000);
        OrderPlaced past = OrderPlaced.of("o-1");
        OrderPlaced future = OrderPlaced.of("o-2");

        redis.transport().eventBus().publish(past, PublishOptions.deliverAt(redisNow.minusSeconds(1)));
        redis.transport().eventBus().publish(future, PublishOptions.deliverAt(redisNow.plusSeconds(3_600)));

        assertEquals(1, redis.raw().xlen(redis.streamKey()), "the past instant went to the stream at once");
        Double score = redis.raw().zscore(prefix + ":scheduled", future.eventId().toString());
        assertEquals(redisNow.plusSeconds(3_600).toEpochMilli(), score.longValue(), "due at the instant, in ms");
        assertEquals(1, redis.transport().admin().stats().scheduled());
    }

    @Test
    void workersOfTwoProcessesRacingReleaseEachDueEventOnce() {
        RedisTestTransport first = transport();
        RedisTestTransport second = sibling(first, settings -> settings);
        List<UUID> handled = new CopyOnWriteArrayList<>();
        processor.register(OrderPlaced.class, "orders", (OrderPlaced e) -> handled.add(e.eventId()));
        List<OrderPlaced> events = java.util.stream.IntStream.range(0, 200).mapToObj(i -> OrderPlaced.of("o-" + i))
                .toList();
        first.transport().eventBus().publishAll(events, PublishOptions.deliverAfter(Duration.ofMillis(500)));
        first.startWorker();
        first.startWorker();
        second.startWorker();

        awaitStats(first, s -> s.completed() == events.size() && s.scheduled() == 0);
        first.awaitIdle(WAIT);
        assertEquals(events.size(), handled.size(), "each released and handled once");
        assertEquals(events.size(), Set.copyOf(handled).size());
        assertEquals(events.size(), first.raw().xlen(first.streamKey()), "each released once (kept: under 1,000)");
    }
}
