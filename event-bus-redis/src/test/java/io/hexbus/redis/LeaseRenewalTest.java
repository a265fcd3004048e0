package io.hexbus.redis;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.redis.testing.RedisTestTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Lease renewal reports only leases another worker really took. */
class LeaseRenewalTest extends RedisTransportTestBase {

    @Test
    void completingManyEventsWhileRenewingOftenRaisesNoFalseTakeoverWarning() {
        // Renewed every 100 ms while thousands of acknowledgements are written: a renewal of an entry whose
        // acknowledgement was just written finds it settled, which is not a takeover. One worker only, so
        // no entry can really be taken over (a worker never takes over what it holds itself).
        RedisTestTransport redis = transport(s -> s.withVisibilityTimeout(Duration.ofMillis(300)));
        AtomicInteger handled = new AtomicInteger();
        processor.register(OrderPlaced.class, "count", (OrderPlaced e) -> handled.incrementAndGet());
        handleWithoutTakeoverWarnings(redis, 5_000);

        assertEquals(5_000, handled.get());
        assertEquals(0, redis.transport().admin().stats().takeovers());
    }

    @Test
    void reschedulingManyEventsWhileRenewingOftenRaisesNoFalseTakeoverWarning() {
        // Every event fails once: its retry hands it to the retry-waiting consumer while it is still in the
        // renewal set, which is a settle of the worker's own, not a takeover.
        RedisTestTransport redis = transport(s -> s.withVisibilityTimeout(Duration.ofMillis(300)));
        java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger handled = new AtomicInteger();
        processor.register(OrderPlaced.class, "fails-once", (OrderPlaced e) -> {
            if (failedOnce.add(e.orderId())) {
                throw new IllegalStateException("first attempt fails");
            }
            handled.incrementAndGet();
        }, SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(1, Duration.ofMillis(10)))
                .withTimeout(Duration.ofSeconds(5)));
        handleWithoutTakeoverWarnings(redis, 2_000);

        assertEquals(2_000, handled.get());
        assertEquals(2_000, redis.transport().admin().stats().failedAttempts());
        assertEquals(0, redis.transport().admin().stats().takeovers());
    }

    /** Starts the worker, publishes {@code count} events and waits until all completed, with no lease warning. */
    private static void handleWithoutTakeoverWarnings(RedisTestTransport redis, int count) {
        redis.startWorker();
        List<DomainEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(OrderPlaced.of("o-" + i));
        }
        try (LogLines log = LogLines.capture()) {
            for (int i = 0; i < events.size(); i += 100) {
                redis.transport().eventBus().publishAll(events.subList(i, i + 100));
            }
            awaitStats(redis, s -> s.completed() == events.size());

            assertEquals(List.of(), log.containing("could not renew"));
            assertEquals(List.of(), log.containing("lost its lease"));
        }
    }
}
