package io.hexbus.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.NonRetryableException;
import io.hexbus.api.transport.QueuedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.hexbus.adapters.http.HttpTestClient.assertProblem;
import static io.hexbus.adapters.http.HttpTestClient.body;
import static io.hexbus.adapters.http.HttpTestClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP admin API over a real queue (each transport's subclass connects to its shared test server, on names of
 * its own): real dead letters from a handler that rejects events, listed, retried once the handler is fixed,
 * removed and cleaned over HTTP, with the statistics, {@code /metrics} and the health check moving. The same
 * requests and answers on every queue.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
abstract class AdminHttpServerOnAQueue {

    static final String TOKEN = "queue-test-token-0123456789";
    /** The application's name, as the statistics and the metrics show it. */
    static final String GROUP = "http-admin-test";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SUBSCRIPTION = "http-test.fragile";

    /** The event of this test. */
    @EventName("http-test.order-placed")
    public record OrderPlaced(UUID eventId, Instant occurredAt, String orderId) implements DomainEvent {
    }

    private final Set<String> rejected = ConcurrentHashMap.newKeySet();
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    QueuedTransport transport;
    HttpTestClient http;
    boolean closed;
    private AdminHttpServer server;

    /**
     * @param processor routes the test's events
     * @return a transport of group {@link #GROUP} on names no other test uses, with a short shutdown deadline
     */
    abstract QueuedTransport connect(DomainEventsProcessor processor);

    /** Deletes what {@link #connect} stored, and only that. */
    abstract void deleteData();

    /** @return the transport's name in the statistics and the health check */
    abstract String transportName();

    @BeforeEach
    void start() {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.register(OrderPlaced.class, SUBSCRIPTION, (OrderPlaced event) -> {
            if (rejected.contains(event.orderId())) {
                throw new NonRetryableException("order " + event.orderId() + " rejected");
            }
            handled.add(event.orderId());
        });
        transport = connect(processor);
        transport.startWorker();
        server = AdminHttpServer.start(new HttpSettings(true, "127.0.0.1", 0, Optional.of(TOKEN), false),
                Optional.of(transport), () -> 1);
        server.observe(processor);
        http = new HttpTestClient(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
        if (!closed) {
            transport.close();
        }
        deleteData();
    }

    @Test
    void aDeadLetterIsListedRetriedAfterTheFixAnotherRemovedAndOldOnesCleaned() {
        rejected.addAll(List.of("o-1", "o-2"));
        OrderPlaced first = publish("o-1");
        OrderPlaced second = publish("o-2");
        // A transport's counters may follow its dead-letter store (Kafka: each worker reports them after a commit).
        await().atMost(WAIT).until(() -> stats().path("deadLettered").asLong() == 2
                && stats().path("failedAttempts").asLong() == 2);

        JsonNode stats = stats();
        assertEquals(transportName(), stats.path("transport").asText());
        assertEquals(GROUP, stats.path("group").asText());
        assertEquals(2, stats.path("failedAttempts").asLong());
        assertEquals(0, stats.path("completed").asLong());
        assertEquals(0, stats.path("active").asLong(), stats::toString);
        assertEquals(0, stats.path("reserved").asLong(), stats::toString);
        assertTrue(stats.has("reserved"), stats::toString);
        assertTrue(stats.has("scheduled"), stats::toString);
        assertEquals(0, stats.path("scheduled").asLong(), stats::toString);

        // A transport may tell the observer of a dead letter after the statistics show it (Kafka: once its offset
        // is committed), so the event meters are awaited.
        String deadLetteredMeter = "hexbus_events_dead_lettered_total{event=\"http-test.order-placed\",subscription=\""
                + SUBSCRIPTION + "\"} 2.0";
        String metrics = await().atMost(WAIT).until(() -> ok(http.send(http.authorized("/metrics", TOKEN))).body(),
                body -> body.contains(deadLetteredMeter));
        assertTrue(metrics.contains("hexbus_queue_dead_lettered{group=\"http-admin-test\"} 2.0"), metrics);
        assertTrue(metrics.contains("hexbus_queue_failed_attempts_total{group=\"http-admin-test\"} 2.0"), metrics);
        assertTrue(metrics.contains("hexbus_queue_completed_total{group=\"http-admin-test\"} 0.0"), metrics);
        assertTrue(metrics.contains("hexbus_queue_reserved{group=\"http-admin-test\"} 0.0"), metrics);
        assertTrue(metrics.contains("hexbus_queue_scheduled{group=\"http-admin-test\"} 0.0"), metrics);
        assertTrue(metrics.contains("hexbus_events_dead_lettered_total{event=\"" + "http-test.order-placed"
                + "\",subscription=\"" + SUBSCRIPTION + "\"} 2.0"), metrics);
        assertTrue(metrics.contains("hexbus_events_failed_total{event=\"" + "http-test.order-placed" + "\",subscription=\""
                + SUBSCRIPTION + "\"} 2.0"), metrics);

        JsonNode page = json(ok(http.send(http.authorized("/api/v1/queues/failed?offset=0&limit=10", TOKEN))));
        assertEquals(2, page.path("total").asLong());
        assertEquals(2, page.path("items").size());
        List<String> ids = new ArrayList<>();
        for (JsonNode item : page.path("items")) {
            ids.add(item.path("eventId").asText());
            assertEquals("http-test.order-placed", item.path("eventName").asText());
            assertEquals(SUBSCRIPTION, item.path("failedSubscriptions").path(0).asText());
            assertEquals(1, item.path("attempts").asInt());
            assertTrue(item.path("lastError").asText().contains("rejected"), item.toString());
            assertFalse(item.has("envelope"), "payloads are hidden unless asked for: " + item);
        }
        assertEquals(Set.of(first.eventId().toString(), second.eventId().toString()), Set.copyOf(ids));
        Instant newer = Instant.parse(page.path("items").path(0).path("lastFailedAt").asText());
        Instant older = Instant.parse(page.path("items").path(1).path("lastFailedAt").asText());
        assertFalse(newer.isBefore(older), "newest first: " + page);

        JsonNode onePerPage = json(ok(http.send(http.authorized("/api/v1/queues/failed?offset=1&limit=1", TOKEN))));
        assertEquals(1, onePerPage.path("items").size());
        assertEquals(ids.get(1), onePerPage.path("items").path(0).path("eventId").asText());

        JsonNode withPayload = json(ok(http.send(http.authorized("/api/v1/queues/failed/" + first.eventId()
                + "?includePayload=true", TOKEN))));
        assertTrue(withPayload.path("envelope").toString().contains("\"orderId\":\"o-1\""), withPayload.toString());
        assertFalse(json(ok(http.send(http.authorized("/api/v1/queues/failed/" + first.eventId(), TOKEN))))
                .has("envelope"));

        // Fix the handler, retry the first: it is handled, and leaves the dead-letter queue.
        rejected.remove("o-1");
        JsonNode retried = json(ok(http.send(http.authorized("/api/v1/queues/failed/" + first.eventId() + "/retry",
                TOKEN).header("Content-Type", "application/json").POST(body("")))));
        assertTrue(retried.path("retried").asBoolean());
        await().atMost(WAIT).until(() -> handled.contains("o-1"));
        await().atMost(WAIT).until(() -> stats().path("completed").asLong() == 1);
        assertEquals(1, stats().path("deadLettered").asLong());
        await().atMost(WAIT).until(() -> ok(http.send(http.authorized("/metrics", TOKEN))).body()
                .contains("hexbus_queue_completed_total{group=\"http-admin-test\"} 1.0"));
        assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + first.eventId() + "/retry", TOKEN)
                .header("Content-Type", "application/json").POST(body(""))), 404, "not-found");

        // Remove the second for good.
        JsonNode removed = json(ok(http.send(http.authorized("/api/v1/queues/failed/" + second.eventId(), TOKEN)
                .header("Content-Type", "application/json").DELETE())));
        assertTrue(removed.path("removed").asBoolean());
        assertEquals(0, stats().path("deadLettered").asLong());
        assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + second.eventId(), TOKEN)), 404,
                "not-found");
        assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + second.eventId(), TOKEN)
                .header("Content-Type", "application/json").DELETE()), 404, "not-found");
        assertFalse(handled.contains("o-2"), "a removed dead letter never runs");
    }

    @Test
    void cleanRemovesOnlyDeadLettersOlderThanAsked() {
        rejected.add("o-3");
        OrderPlaced third = publish("o-3");
        await().atMost(WAIT).until(() -> stats().path("deadLettered").asLong() == 1);

        JsonNode kept = clean(3600);
        assertEquals(0, kept.path("removed").asInt(), "a fresh dead letter is not an hour old");
        ok(http.send(http.authorized("/api/v1/queues/failed/" + third.eventId(), TOKEN)));

        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> clean(1).path("removed").asInt() == 1);
        assertEquals(0, stats().path("deadLettered").asLong());
        assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + third.eventId(), TOKEN)), 404,
                "not-found");
    }

    @Test
    void retryAllRedeliversEveryDeadLetterOnceTheHandlerIsFixed() {
        rejected.addAll(List.of("o-4", "o-5"));
        publish("o-4");
        publish("o-5");
        await().atMost(WAIT).until(() -> stats().path("deadLettered").asLong() == 2);

        rejected.clear();
        JsonNode retried = retryAll();
        assertEquals(2, retried.path("retried").asInt(), retried.toString());
        await().atMost(WAIT).until(() -> handled.containsAll(List.of("o-4", "o-5")));
        await().atMost(WAIT).until(() -> stats().path("completed").asLong() == 2);
        assertEquals(0, stats().path("deadLettered").asLong());
        assertEquals(0, json(ok(http.send(http.authorized("/api/v1/queues/failed", TOKEN)))).path("total").asLong());

        assertEquals(0, retryAll().path("retried").asInt(), "nothing is left to retry");
        assertProblem(http.send(http.request("/api/v1/queues/failed/retry-all")
                .header("Content-Type", "application/json").POST(body(""))), 401, "unauthorized");
    }

    @Test
    void unknownIdsAre404() {
        UUID unknown = EventIds.newId();
        assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + unknown, TOKEN)), 404, "not-found");
        assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + unknown + "/retry", TOKEN)
                .header("Content-Type", "application/json").POST(body(""))), 404, "not-found");
        assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + unknown, TOKEN)
                .header("Content-Type", "application/json").DELETE()), 404, "not-found");
    }

    @Test
    void healthIsUpWithTheTransportAndTheLag() {
        HttpResponse<String> up = http.send(http.request("/health"));
        assertEquals(200, up.statusCode(), up.body());
        JsonNode health = json(up);
        assertEquals("UP", health.path("status").asText());
        assertEquals(transportName(), health.path("transport").asText());
        assertEquals(1, health.path("workersRunning").asInt());
        assertTrue(health.path("consumerLag").isIntegralNumber(), health.toString());
    }

    @Test
    void theAdminRoutesAndMetricsNeedTheToken() {
        assertProblem(http.send(http.request("/api/v1/queues/stats")), 401, "unauthorized");
        assertProblem(http.send(http.authorized("/api/v1/queues/failed", "wrong-token-0123456789")), 401,
                "unauthorized");
        assertProblem(http.send(http.request("/metrics")), 401, "unauthorized");
    }

    @Test
    void deadLettersAreFilteredFollowedPerSubscriptionAndRemovedByFilter() {
        rejected.add("o-bad");
        OrderPlaced bad = publish("o-bad");
        publish("o-good");
        await().atMost(WAIT).until(() -> stats().path("deadLettered").asLong() == 1 && handled.contains("o-good"));

        JsonNode matching = json(ok(http.send(http.authorized("/api/v1/queues/failed?subscription=" + SUBSCRIPTION
                + "&error=REJECTED&eventName=http-test.order-placed", TOKEN))));
        assertEquals(1, matching.path("total").asLong(), matching::toString);
        assertEquals(bad.eventId().toString(), matching.path("items").get(0).path("eventId").asText());
        JsonNode none = json(ok(http.send(http.authorized("/api/v1/queues/failed?error=no-such-error", TOKEN))));
        assertEquals(0, none.path("total").asLong(), none::toString);

        // Workers report what each subscription did a second or so late.
        JsonNode subscription = await().atMost(WAIT).until(() -> subscription(SUBSCRIPTION),
                stats -> stats.path("handled").asLong() == 1 && stats.path("deadLettered").asLong() == 1);
        assertEquals(0.5, subscription.path("failureRate").asDouble(), subscription::toString);
        String deadLetteredSeries = "hexbus_subscription_dead_lettered_total{subscription=\"" + SUBSCRIPTION
                + "\"} 1.0";
        await().atMost(WAIT).until(() -> ok(http.send(http.authorized("/metrics", TOKEN))).body(),
                body -> body.contains(deadLetteredSeries));

        JsonNode progress = await().atMost(WAIT).until(() -> json(http.send(http.authorized(
                "/api/v1/queues/events/" + bad.eventId(), TOKEN))),
                body -> "DEAD".equals(body.path("subscriptions").path(0).path("state").asText()));
        assertEquals(SUBSCRIPTION, progress.path("subscriptions").get(0).path("subscription").asText(),
                progress::toString);
        assertEquals(bad.eventId().toString(), progress.path("eventId").asText(), progress::toString);

        assertProblem(http.send(http.authorized("/api/v1/queues/failed/remove-all", TOKEN)
                .header("Content-Type", "application/json").POST(body("{}"))), 400, "bad-request");
        JsonNode removed = json(ok(http.send(http.authorized("/api/v1/queues/failed/remove-all", TOKEN)
                .header("Content-Type", "application/json")
                .POST(body("{\"subscription\": \"" + SUBSCRIPTION + "\", \"error\": \"rejected\"}")))));
        assertEquals(1, removed.path("removed").asInt(), removed::toString);
        await().atMost(WAIT).until(() -> stats().path("deadLettered").asLong() == 0);
    }

    /** @return the entry of one subscription on {@code GET /api/v1/queues/subscriptions}, or a missing node */
    private JsonNode subscription(String name) {
        JsonNode body = json(ok(http.send(http.authorized("/api/v1/queues/subscriptions", TOKEN))));
        for (JsonNode entry : body.path("subscriptions")) {
            if (entry.path("subscription").asText().equals(name)) {
                return entry;
            }
        }
        return body.path("no-such-subscription");
    }

    OrderPlaced publish(String orderId) {
        OrderPlaced event = new OrderPlaced(EventIds.newId(), Instant.now(), orderId);
        transport.eventBus().publish(event);
        return event;
    }

    private JsonNode stats() {
        return json(ok(http.send(http.authorized("/api/v1/queues/stats", TOKEN))));
    }

    private JsonNode retryAll() {
        return json(ok(http.send(http.authorized("/api/v1/queues/failed/retry-all", TOKEN)
                .header("Content-Type", "application/json").POST(body("")))));
    }

    private JsonNode clean(long olderThanSeconds) {
        return json(ok(http.send(http.authorized("/api/v1/queues/clean", TOKEN)
                .header("Content-Type", "application/json")
                .POST(body("{\"state\": \"failed\", \"olderThanSeconds\": " + olderThanSeconds + "}")))));
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }
}
