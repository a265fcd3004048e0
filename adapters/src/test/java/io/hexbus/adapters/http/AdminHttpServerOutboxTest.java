package io.hexbus.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hexbus.adapters.metrics.OutboxHealth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.hexbus.adapters.http.HttpTestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transactional outbox on {@code /health} and {@code /metrics}: the decision as a pure function, then through a
 * real HTTP client with the outbox's health given by the test (no database).
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class AdminHttpServerOutboxTest {

    private static final String TOKEN = "test-token-0123456789abcdef";
    private static final OutboxHealth FORWARDING = new OutboxHealth(true, 0, Duration.ZERO, 0, 12,
            Optional.empty(), Optional.empty());
    private static final OutboxHealth STUCK = new OutboxHealth(false, 42, Duration.ofMillis(95_500), 3, 7,
            Optional.of("Redis at 127.0.0.1:6379 cannot be reached"), Optional.of(Instant.parse("2026-12-04T20:00:00Z")));

    private final AtomicReference<OutboxHealth> current = new AtomicReference<>(FORWARDING);
    private AdminHttpServer server;
    private HttpTestClient http;

    @BeforeEach
    void start() {
        server = AdminHttpServer.start(new HttpSettings(true, "127.0.0.1", 0, Optional.of(TOKEN), false),
                Optional.empty(), () -> 0);
        server.observeOutbox(current::get);
        http = new HttpTestClient(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aForwardingOutboxIsUpWithItsBacklog() {
        Map<String, Object> body = ObservedOutbox.healthOf(() -> FORWARDING);

        assertEquals("UP", body.get("status"));
        assertEquals(0L, body.get("waiting"));
        assertEquals(0.0, body.get("oldestWaitingAgeSeconds"));
        assertEquals(0L, body.get("dead"));
        assertNull(body.get("failingSince"));
    }

    @Test
    void anOutboxThatCannotForwardIsDownWithItsBacklogAndNotItsError() {
        Map<String, Object> body = ObservedOutbox.healthOf(() -> STUCK);

        assertEquals("DOWN", body.get("status"));
        assertEquals(42L, body.get("waiting"));
        assertEquals(95.5, body.get("oldestWaitingAgeSeconds"));
        assertEquals(3L, body.get("dead"));
        assertEquals(Instant.parse("2026-12-04T20:00:00Z"), body.get("failingSince"));
        assertFalse(body.containsKey("lastError"), "/health answers without a token: the error is logged only");
    }

    @Test
    void anOutboxThatCannotBeReadIsDown() {
        Map<String, Object> body = ObservedOutbox.healthOf(() -> {
            throw new IllegalStateException("the database cannot be reached");
        });

        assertEquals("DOWN", body.get("status"));
        assertNull(body.get("waiting"));
    }

    @Test
    void healthIsUpWhileTheOutboxForwardsAndDownWithAStatus503WhenItCannot() {
        HttpResponse<String> up = http.send(http.request("/health"));
        assertEquals(200, up.statusCode(), up.body());
        assertEquals("UP", json(up).path("status").asText());
        assertEquals("UP", json(up).path("outbox").path("status").asText());

        current.set(STUCK);
        HttpResponse<String> down = http.send(http.request("/health"));

        assertEquals(503, down.statusCode(), down.body());
        JsonNode health = json(down);
        assertEquals("DOWN", health.path("status").asText());
        assertEquals("in-memory", health.path("transport").asText());
        assertEquals("DOWN", health.path("outbox").path("status").asText());
        assertEquals(42, health.path("outbox").path("waiting").asLong());
        assertEquals(95.5, health.path("outbox").path("oldestWaitingAgeSeconds").asDouble());
        assertEquals("2026-12-04T20:00:00Z", health.path("outbox").path("failingSince").asText());
        assertFalse(down.body().contains("127.0.0.1:6379"), down.body());
    }

    @Test
    void theStatisticsBehindTheTokenShowTheOutboxWithWhatItsRelayForwardedAndItsLastError() {
        current.set(STUCK);

        HttpResponse<String> response = http.send(http.authorized("/api/v1/queues/stats", TOKEN));

        assertEquals(200, response.statusCode(), response.body());
        JsonNode outbox = json(response).path("outbox");
        assertEquals("DOWN", outbox.path("status").asText());
        assertEquals(42, outbox.path("waiting").asLong());
        assertEquals(7, outbox.path("forwarded").asLong());
        assertEquals("Redis at 127.0.0.1:6379 cannot be reached", outbox.path("lastError").asText());
        assertEquals(401, http.send(http.request("/api/v1/queues/stats")).statusCode(), "not without the token");
    }

    @Test
    void metricsHaveTheOutboxGauges() {
        current.set(STUCK);
        System.gc(); // the gauges outlive a collection: held weakly, as Micrometer holds by default, they read NaN

        HttpResponse<String> response = http.send(http.authorized("/metrics", TOKEN));

        assertEquals(200, response.statusCode(), response.body());
        String metrics = response.body();
        assertTrue(metrics.contains("\nhexbus_outbox_waiting 42.0\n"), metrics);
        assertTrue(metrics.contains("\nhexbus_outbox_oldest_waiting_age_seconds 95.5\n"), metrics);
        assertTrue(metrics.contains("\nhexbus_outbox_dead 3.0\n"), metrics);
        assertTrue(metrics.contains("\nhexbus_outbox_forwarded 7.0\n"), metrics);
    }
}
