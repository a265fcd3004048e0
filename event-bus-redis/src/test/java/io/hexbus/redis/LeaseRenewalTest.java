package io.hexbus.redis;

import io.hexbus.api.event.DomainEvent;
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
        redis.startWorker();
        List<DomainEvent> events = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
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
        assertEquals(events.size(), handled.get());
        assertEquals(0, redis.transport().admin().stats().takeovers());
    }
}
