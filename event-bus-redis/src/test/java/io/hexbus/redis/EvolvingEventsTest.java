package io.hexbus.redis;

import io.hexbus.engine.worker.EngineWorker;
import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.EventUpcaster;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.redis.testing.RedisTestTransport;
import io.hexbus.redis.testing.TestRedis;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events change shape (design brief §10), on Redis: entries written by an older shape of an event, in the stream
 * before the worker starts, are read by code with a component added, with one removed, and at a version 2 with an
 * upcaster, none dead-lettered; an entry written at a newer version than its reader waits, unattempted, until code
 * that reads it runs on the group.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EvolvingEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NAME = "shop.order-placed";
    private static final Instant OCCURRED_AT = Instant.parse("2026-11-23T10:15:30.123456Z");

    @AutoClose
    private final Resources resources = new Resources();
    // One prefix per test: its publisher and its readers share the stream, each reader in a group of its own.
    private final RedisQueueSettings settings = RedisTestTransport.testSettings();

    /** The event as first written: an amount in cents, and an optional coupon. */
    @EventName(NAME)
    record OrderPlacedV1(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId, long amountCents,
                         String coupon) implements DomainEvent {
    }

    /** Version 1 with components added since: text, an optional and one the constructor defaults. */
    @EventName(NAME)
    record OrderPlacedWithMore(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId,
                               long amountCents, String coupon, String currency, Optional<String> note,
                               Integer quantity) implements DomainEvent {
        OrderPlacedWithMore {
            quantity = quantity == null ? 1 : quantity;
        }
    }

    /** Version 1 without its coupon. */
    @EventName(NAME)
    record OrderPlacedWithLess(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId,
                               long amountCents) implements DomainEvent {
    }

    record Money(long cents, String currency) {
    }

    /** Not additive: the amount became a {@link Money}. */
    @EventName(value = NAME, version = 2)
    record OrderPlacedV2(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId, Money total,
                         String coupon) implements DomainEvent {
    }

    /** Not additive either: any number of coupons. */
    @EventName(value = NAME, version = 3)
    record OrderPlacedV3(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId, Money total,
                         List<String> coupons) implements DomainEvent {
    }

    private static final EventUpcaster V2_FROM_V1 = payload -> {
        Map<String, Object> total = new LinkedHashMap<>();
        total.put("cents", payload.remove("amountCents"));
        total.put("currency", "EUR");
        payload.put("total", total);
        return payload;
    };

    private static final EventUpcaster V3_FROM_V2 = payload -> {
        Object coupon = payload.remove("coupon");
        payload.put("coupons", coupon == null ? List.of() : List.of(coupon));
        return payload;
    };

    @Test
    void entriesOfTheOldShapeAreReadByCodeWithAComponentAddedOneRemovedAndAnUpcastVersion() {
        OrderPlacedV1 written = new OrderPlacedV1(EventIds.newId(), OCCURRED_AT, EventMetadata.EMPTY, "o-1", 1_999,
                "WELCOME");
        transport("shop", processor(new EventTypeRegistry().register(OrderPlacedV1.class)), s -> s)
                .transport().eventBus().publish(written);

        List<OrderPlacedWithMore> withMore = new CopyOnWriteArrayList<>();
        DomainEventsProcessor more = processor(new EventTypeRegistry().register(OrderPlacedWithMore.class));
        more.register(OrderPlacedWithMore.class, "record", withMore::add);
        List<OrderPlacedWithLess> withLess = new CopyOnWriteArrayList<>();
        DomainEventsProcessor less = processor(new EventTypeRegistry().register(OrderPlacedWithLess.class));
        less.register(OrderPlacedWithLess.class, "record", withLess::add);
        List<OrderPlacedV2> upcast = new CopyOnWriteArrayList<>();
        DomainEventsProcessor v2 = processor(new EventTypeRegistry().register(OrderPlacedV2.class)
                .upcaster(NAME, 1, V2_FROM_V1));
        v2.register(OrderPlacedV2.class, "record", upcast::add);
        List<RedisTestTransport> readers = List.of(transport("with-more", more, s -> s),
                transport("with-less", less, s -> s), transport("v2", v2, s -> s));
        readers.forEach(RedisTestTransport::startWorker);

        for (RedisTestTransport reader : readers) {
            QueueStats stats = awaitCompleted(reader);
            assertEquals(0, stats.deadLettered(), stats.group());
            assertEquals(0, stats.failedAttempts(), stats.group());
            assertEquals(0, reader.transport().admin().deadLetters(0, 10).total(), stats.group());
        }
        assertEquals(List.of(new OrderPlacedWithMore(written.eventId(), OCCURRED_AT, EventMetadata.EMPTY, "o-1",
                1_999, "WELCOME", null, Optional.empty(), 1)), withMore, "null, empty, and the record's default");
        assertEquals(List.of(new OrderPlacedWithLess(written.eventId(), OCCURRED_AT, EventMetadata.EMPTY, "o-1",
                1_999)), withLess, "the removed component ignored");
        assertEquals(List.of(new OrderPlacedV2(written.eventId(), OCCURRED_AT, EventMetadata.EMPTY, "o-1",
                new Money(1_999, "EUR"), "WELCOME")), upcast);
    }

    @Test
    void anEntryOfANewerVersionWaitsUnattemptedUntilCodeThatReadsItRunsThenIsHandledOnce() {
        // Short waits, so that the entry is read again within the test; short leases, so that an entry the old
        // worker still held when it closed is soon taken over.
        UnaryOperator<RedisQueueSettings> shop = s -> s.withNewerVersionDelay(Duration.ofMillis(200))
                .withVisibilityTimeout(Duration.ofSeconds(2));
        OrderPlacedV3 written = new OrderPlacedV3(EventIds.newId(), OCCURRED_AT, EventMetadata.EMPTY, "o-3",
                new Money(4_200, "EUR"), List.of("WELCOME", "VIP"));
        RedisTestTransport publisher = transport("shop", processor(new EventTypeRegistry()
                .register(OrderPlacedV3.class)), shop);
        publisher.transport().eventBus().publish(written);
        List<StreamMessage<String, String>> entries = publisher.raw().xrange(publisher.streamKey(),
                Range.create("-", "+"));
        assertEquals(1, entries.size());
        String entryId = entries.get(0).getId();

        List<DomainEvent> handledByOldCode = new CopyOnWriteArrayList<>();
        DomainEventsProcessor v2 = processor(new EventTypeRegistry().register(OrderPlacedV2.class)
                .upcaster(NAME, 1, V2_FROM_V1));
        v2.register(OrderPlacedV2.class, "invoicing", handledByOldCode::add);
        v2.register(OrderPlacedV2.class, "shipping", handledByOldCode::add);
        RedisTestTransport oldCode = transport("shop", v2, shop);
        try (LogLines log = LogLines.capture()) {
            EngineWorker oldWorker = oldCode.startWorker();
            String waits = "entry m|" + entryId + " of '" + NAME + "' is at version 3, newer than the version 2 this"
                    + " service reads; it waits 200 ms for code that reads it, and is not dead-lettered";
            await().atMost(WAIT).until(() -> log.containing(waits).size() == 1);
            // Read again after its wait, and still waiting, not failing: its due time moves on.
            String key = progressKey("shop", entryId);
            String firstDue = await().atMost(WAIT).until(() -> oldCode.raw().hget(key, "due:invoicing"),
                    Objects::nonNull);
            await().atMost(WAIT).until(() -> !firstDue.equals(oldCode.raw().hget(key, "due:invoicing")));
            oldWorker.close();
            assertEquals(1, log.containing(waits).size(), "said once per entry at WARN, not at every wait");
        }

        QueueStats waited = oldCode.transport().admin().stats();
        assertEquals(List.of(), handledByOldCode);
        assertEquals(0, waited.failedAttempts(), "waiting is not a failed attempt");
        assertEquals(0, waited.deadLettered());
        assertEquals(0, waited.completed());
        assertTrue(oldCode.transport().admin().deadLetter(written.eventId()).isEmpty());
        Map<String, String> progress = oldCode.raw().hgetall(progressKey("shop", entryId));
        assertEquals("0", progress.get("attempts:invoicing"), () -> "no attempt recorded: " + progress);
        assertEquals("0", progress.get("attempts:shipping"), () -> "no attempt recorded: " + progress);
        assertTrue(progress.getOrDefault("error", "").contains("version 3"), () -> "why it waits: " + progress);

        List<OrderPlacedV3> handledByNewCode = new CopyOnWriteArrayList<>();
        DomainEventsProcessor v3 = processor(new EventTypeRegistry().register(OrderPlacedV3.class)
                .upcaster(NAME, 1, V2_FROM_V1).upcaster(NAME, 2, V3_FROM_V2));
        v3.register(OrderPlacedV3.class, "invoicing", handledByNewCode::add);
        v3.register(OrderPlacedV3.class, "shipping", handledByNewCode::add);
        RedisTestTransport newCode = transport("shop", v3, shop);
        newCode.startWorker();

        QueueStats done = awaitCompleted(newCode);
        assertEquals(List.of(written, written), handledByNewCode, "once by each subscription");
        assertEquals(0, done.failedAttempts());
        assertEquals(0, done.deadLettered());
        assertEquals(0, done.retryScheduled());
        assertEquals(Map.of(), newCode.raw().hgetall(progressKey("shop", entryId)), "its progress deleted");
    }

    @Test
    void anEntryOfANewerVersionThatWaitedPastTheLimitIsDeadLetteredWithTheReason() {
        // Published more than a millisecond before any worker reads it: past a limit of 1 ms at once.
        UnaryOperator<RedisQueueSettings> shop = s -> s.withNewerVersionMaxWait(Duration.ofMillis(1));
        OrderPlacedV3 written = new OrderPlacedV3(EventIds.newId(), OCCURRED_AT, EventMetadata.EMPTY, "o-4",
                new Money(100, "EUR"), List.of());
        transport("shop", processor(new EventTypeRegistry().register(OrderPlacedV3.class)), shop)
                .transport().eventBus().publish(written);

        List<DomainEvent> handled = new CopyOnWriteArrayList<>();
        DomainEventsProcessor v2 = processor(new EventTypeRegistry().register(OrderPlacedV2.class)
                .upcaster(NAME, 1, V2_FROM_V1));
        v2.register(OrderPlacedV2.class, "invoicing", handled::add);
        RedisTestTransport oldCode = transport("shop", v2, shop);
        oldCode.startWorker();

        DeadLetter dead = await().atMost(WAIT).until(() -> oldCode.transport().admin().deadLetter(written.eventId()),
                Optional::isPresent).orElseThrow();
        assertTrue(dead.lastError().contains("is at version 3, newer than the version 2 this service reads"),
                dead.lastError());
        assertTrue(dead.lastError().contains("no such code ran within PT0.001S"), dead.lastError());
        assertEquals(List.of("invoicing"), dead.failedSubscriptions());
        assertEquals(List.of(), handled);
    }

    private static DomainEventsProcessor processor(EventTypeRegistry eventTypes) {
        return new DomainEventsProcessor(eventTypes);
    }

    /** A transport on this test's prefix, in a group; closed (its keys deleted) after the test. */
    private RedisTestTransport transport(String group, DomainEventsProcessor processor,
                                         UnaryOperator<RedisQueueSettings> customize) {
        return resources.keep(RedisTestTransport.connect(TestRedis.shared(),
                customize.apply(settings.withGroup(group)), processor));
    }

    private String progressKey(String group, String entryId) {
        return new Keys(settings.keyPrefix(), group).progress(Keys.MAIN, entryId);
    }

    private static QueueStats awaitCompleted(RedisTestTransport reader) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> reader.transport().admin().stats(), s -> s.completed() == 1 && s.active() == 0);
    }
}
