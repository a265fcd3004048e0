package io.hexbus.redis;

import io.hexbus.engine.worker.EngineWorker;
import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.event.EventIds;
import io.hexbus.redis.testing.RedisTestTransport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Entries written with raw XADD, as a buggy or hostile producer would: each is dead-lettered with its reason,
 * never retried, and the events after it still process.
 */
class PoisonEntryTest extends RedisTransportTestBase {

    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final List<String> observedUnhandled = new CopyOnWriteArrayList<>();
    private RedisTestTransport redis;
    private EngineWorker worker;

    @BeforeEach
    void startWorker() {
        redis = transport();
        processor.register(OrderPlaced.class, "orders", (OrderPlaced e) -> handled.add(e.orderId()));
        processor.register("test.unregistered", "by-name", e -> handled.add("by-name"),
                io.hexbus.api.handling.SubscriptionOptions.DEFAULT);
        processor.addObserver(new io.hexbus.api.handling.DeliveryObserver() {
            @Override
            public void unhandled(String eventName) {
                observedUnhandled.add(eventName);
            }
        });
        worker = redis.startWorker();
    }

    private String envelope(String name, String id, String payload) {
        return "{\"v\":1,\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"occurredAt\":\"2026-11-23T10:00:00Z\","
                + "\"publishedAt\":\"2026-11-23T10:00:00Z\",\"metadata\":null,\"payload\":" + payload + "}";
    }

    private DeadLetter poisonThenExpectDeadLetter(Map<String, String> fields, UUID deadLetterId) {
        redis.raw().xadd(redis.streamKey(), fields);
        OrderPlaced next = OrderPlaced.of("after-" + deadLetterId);
        redis.transport().eventBus().publish(next);

        await().atMost(WAIT).until(() -> handled.contains(next.orderId()));
        await().atMost(WAIT).until(() -> redis.transport().admin().deadLetter(deadLetterId).isPresent());
        DeadLetter dead = redis.transport().admin().deadLetter(deadLetterId).orElseThrow();
        assertEquals(1, dead.attempts());
        return dead;
    }

    @Test
    void anUnknownNameThatThisServiceHasHandlersFor() {
        UUID id = EventIds.newId();
        DeadLetter dead = poisonThenExpectDeadLetter(Map.of("i", id.toString(), "n", "test.unregistered",
                "e", envelope("test.unregistered", id.toString(), "{}")), id);

        assertTrue(dead.lastError().contains("unknown event name 'test.unregistered'"), dead.lastError());
        assertEquals(List.of("by-name"), dead.failedSubscriptions());
        assertTrue(!handled.contains("by-name"));
    }

    @Test
    void aPayloadFieldTheRecordRequiresIsMissing() {
        UUID id = EventIds.newId();
        DeadLetter dead = poisonThenExpectDeadLetter(Map.of("i", id.toString(), "n", OrderPlaced.NAME,
                "e", envelope(OrderPlaced.NAME, id.toString(), "{\"unrelated\":1}")), id);

        assertTrue(dead.lastError().contains("refused by OrderPlaced (NullPointerException): orderId"),
                dead.lastError());
    }

    @Test
    void anEntryRoutedAsAnotherEventThanItsEnvelopeHoldsIsMalformed() {
        UUID id = EventIds.newId();
        UUID other = EventIds.newId();
        DeadLetter dead = poisonThenExpectDeadLetter(Map.of("i", id.toString(), "n", OrderPlaced.NAME,
                "e", envelope(OrderPlaced.NAME, other.toString(), "{\"orderId\":\"routed-as-another\"}")), id);

        assertTrue(dead.lastError().contains(" is routed as " + OrderPlaced.NAME + " '" + id
                + "' but its envelope holds OrderPlaced " + other), dead.lastError());
        assertTrue(!handled.contains("routed-as-another"));
    }

    @Test
    void aClassNameAsTheType() {
        UUID id = EventIds.newId();
        DeadLetter dead = poisonThenExpectDeadLetter(Map.of("i", id.toString(), "n", OrderPlaced.NAME,
                "e", envelope(OrderPlaced.class.getName(), id.toString(), "{\"orderId\":\"x\"}")), id);

        assertTrue(dead.lastError().contains("unknown event name '" + OrderPlaced.class.getName() + "'"),
                dead.lastError());
    }

    @Test
    void anEntryWithoutAnEnvelope() {
        UUID id = EventIds.newId();
        DeadLetter dead = poisonThenExpectDeadLetter(Map.of("i", id.toString(), "n", OrderPlaced.NAME), id);

        assertTrue(dead.lastError().contains("has no envelope"), dead.lastError());
    }

    @Test
    void deeplyNestedArraysDoNotOverflowTheStack() {
        UUID id = EventIds.newId();
        String nested = "[".repeat(100_000) + "]".repeat(100_000);
        DeadLetter dead = poisonThenExpectDeadLetter(Map.of("i", id.toString(), "n", OrderPlaced.NAME,
                "e", envelope(OrderPlaced.NAME, id.toString(), "{\"orderId\":\"x\",\"deep\":" + nested + "}")), id);

        assertTrue(dead.lastError().contains("nesting depth"), dead.lastError());
    }

    @Test
    void aTenMegabyteEntry() {
        UUID id = EventIds.newId();
        DeadLetter dead = poisonThenExpectDeadLetter(Map.of("i", id.toString(), "n", OrderPlaced.NAME,
                "e", envelope(OrderPlaced.NAME, id.toString(), "{\"orderId\":\"" + "x".repeat(10 * 1024 * 1024)
                        + "\"}")), id);

        assertTrue(dead.lastError().contains("over the limit of 1048576 bytes"), dead.lastError());
        assertTrue(dead.envelope().endsWith(" characters)") && dead.envelope().contains("… (truncated: "),
                "the dead letter keeps only the start");
        assertTrue(dead.envelope().length() < 5_000);
    }

    @Test
    void aNameNoSubscriptionHereHandlesIsAcknowledgedAndCountedPerNameNotDeadLettered() {
        for (String name : List.of("shipping.parcel-sent", "shipping.parcel-sent", "com.example.SomeClass")) {
            UUID id = EventIds.newId();
            redis.raw().xadd(redis.streamKey(), Map.of("i", id.toString(), "n", name,
                    "e", envelope(name, id.toString(), "{}")));
        }

        awaitStats(redis, s -> s.unhandled() == 3 && s.active() == 0);
        assertEquals(Map.of("com.example.SomeClass", 1L, "shipping.parcel-sent", 2L), worker.unhandledByName());
        assertEquals(List.of("com.example.SomeClass", "shipping.parcel-sent", "shipping.parcel-sent"),
                observedUnhandled.stream().sorted().toList());
        assertEquals(0, redis.transport().admin().stats().deadLettered(), "another application may own them");
    }

    @Test
    void aNameOutsideTheEventNameGrammarIsMalformed() {
        UUID id = EventIds.newId();
        String binary = "\u0000\u00ff\ufffd ok";
        DeadLetter dead = poisonThenExpectDeadLetter(Map.of("i", id.toString(), "n", binary,
                "e", envelope("x", id.toString(), "{}")), id);

        assertEquals("?", dead.eventName());
        assertTrue(dead.lastError().contains("has an invalid event name '\\u0000\\u00ff\\ufffd ok': an event name"
                + " matches " + io.hexbus.api.event.EventTypeRegistry.NAME_PATTERN), dead.lastError());
        assertEquals(List.of(), dead.failedSubscriptions());
        assertTrue(observedUnhandled.isEmpty(), "not counted as another application's event");
    }

    @Test
    void aClassNameWithADollarOrANameOverTwoHundredCharactersIsMalformed() {
        UUID inner = EventIds.newId();
        DeadLetter dollar = poisonThenExpectDeadLetter(Map.of("i", inner.toString(),
                "n", "io.hexbus.Outer$Inner", "e", envelope("x", inner.toString(), "{}")), inner);
        assertTrue(dollar.lastError().contains("invalid event name 'io.hexbus.Outer$Inner'"), dollar.lastError());

        UUID longer = EventIds.newId();
        DeadLetter tooLong = poisonThenExpectDeadLetter(Map.of("i", longer.toString(), "n", "a".repeat(201),
                "e", envelope("x", longer.toString(), "{}")), longer);
        assertTrue(tooLong.lastError().contains("…' (201 characters)"), tooLong.lastError());
    }

    @Test
    void aTwentyMegabyteNameIsMalformedAndQuotedOnlyByItsStart() {
        UUID id = EventIds.newId();
        DeadLetter dead = poisonThenExpectDeadLetter(Map.of("i", id.toString(), "n", "n".repeat(20 * 1024 * 1024),
                "e", envelope("x", id.toString(), "{}")), id);

        assertTrue(dead.lastError().contains("(20971520 characters)"), dead.lastError());
        assertTrue(dead.lastError().length() < 500, "the error quotes the start of the name only");
        assertTrue(worker.unhandledByName().isEmpty());
    }

    @Test
    void aClassNameSmuggledIntoThePayloadIsIgnored() {
        UUID id = EventIds.newId();
        redis.raw().xadd(redis.streamKey(), Map.of("i", id.toString(), "n", OrderPlaced.NAME,
                "e", envelope(OrderPlaced.NAME, id.toString(),
                        "{\"@class\":\"java.lang.ProcessBuilder\",\"orderId\":\"smuggled\"}")));

        await().atMost(WAIT).until(() -> handled.contains("smuggled"));
        assertTrue(redis.transport().admin().deadLetter(id).isEmpty());
    }
}
