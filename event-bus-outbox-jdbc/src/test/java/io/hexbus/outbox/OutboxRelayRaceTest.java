package io.hexbus.outbox;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.codec.EventCodec;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.outbox.testing.PostgresDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Two relays on one table: nothing lost, nothing forwarded by both, each key in commit order. */
class OutboxRelayRaceTest {

    private static final int EVENTS = 2_000;
    private static final int KEYS = 20;
    private static final int PER_TRANSACTION = 50;

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    @Test
    void twoRelaysRacingOverSharedKeysForwardEachEventOnceAndEachKeyInOrder() throws SQLException {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        List<Tick> handled = new CopyOnWriteArrayList<>();
        processor.register(Tick.class, "record", handled::add);
        InMemoryEventBus bus = new InMemoryEventBus(processor);
        EventCodec codec = EventCodec.of(processor.eventTypes());
        OutboxTable table = new OutboxTable(postgres.dataSource(), codec);
        table.migrate();
        // Counted at the port, before the in-memory bus's dedupe could hide an event forwarded by both relays.
        Map<UUID, AtomicInteger> forwards = new ConcurrentHashMap<>();
        List<Tick> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(Tick.of("key-" + i % KEYS, i));
        }
        OutboxRelaySettings settings = OutboxRelaySettings.defaults().withBatchSize(50)
                .withPollInterval(Duration.ofMillis(50)).withMinBackoff(Duration.ofMillis(10))
                .withMaxBackoff(Duration.ofMillis(50));

        JdbcUnitOfWork units = new JdbcUnitOfWork(postgres.dataSource());
        OutboxEventBus outbox = new OutboxEventBus(units, codec, Clock.systemUTC());
        insert(units, outbox, events.subList(0, EVENTS / 2));
        try (outbox; OutboxRelay first = new OutboxRelay(postgres.dataSource(), codec, counting(bus, forwards),
                settings.withName("relay-a"), Clock.systemUTC());
             OutboxRelay second = new OutboxRelay(postgres.dataSource(), codec, counting(bus, forwards),
                     settings.withName("relay-b"), Clock.systemUTC())) {
            first.start();
            second.start();
            insert(units, outbox, events.subList(EVENTS / 2, EVENTS)); // while they run, woken by the bus's NOTIFY

            await().atMost(Duration.ofSeconds(60)).until(() -> table.count("sent_at IS NOT NULL") == EVENTS);

            assertEquals(EVENTS, first.status().forwarded() + second.status().forwarded());
            assertTrue(first.status().forwarded() > 0 && second.status().forwarded() > 0, "both relays took part");
        }
        assertEquals(EVENTS, forwards.size(), "every event forwarded");
        forwards.forEach((id, count) -> assertEquals(1, count.get(), "event " + id + " forwarded by one relay"));
        assertEquals(EVENTS, handled.size(), "each handled once");
        Map<String, Integer> lastOfKey = new HashMap<>();
        for (Tick tick : handled) {
            Integer last = lastOfKey.put(tick.key(), tick.number());
            assertTrue(last == null || last < tick.number(), tick.key() + ": " + tick.number() + " after " + last);
        }
    }

    /** As use cases would: one unit of work each, through the outbox's event bus. */
    private static void insert(JdbcUnitOfWork units, OutboxEventBus outbox, List<Tick> events) {
        for (int from = 0; from < events.size(); from += PER_TRANSACTION) {
            List<Tick> unit = events.subList(from, from + PER_TRANSACTION);
            units.run(() -> outbox.publishAll(unit));
        }
    }

    private static EventBus counting(EventBus target, Map<UUID, AtomicInteger> forwards) {
        EventBus port = mock(EventBus.class);
        when(port.publishAll(anyList())).thenAnswer(call -> {
            List<DomainEvent> batch = call.getArgument(0);
            batch.forEach(event -> forwards.computeIfAbsent(event.eventId(), id -> new AtomicInteger())
                    .incrementAndGet());
            return target.publishAll(batch);
        });
        return port;
    }
}
