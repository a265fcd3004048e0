package io.hexbus.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import io.hexbus.inmemory.NoDeliveryTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.hexbus.adapters.http.HttpTestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP server over the {@code none} transport: it reports that transport by its own name (never as Redis),
 * and the unhandled count of its statistics agrees with the one on {@code /metrics}.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class AdminHttpServerOnNoDeliveryTest {

    private static final String TOKEN = "none-test-token-0123456789abcdef";

    @EventName("http-none.noted")
    public record Noted(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    private NoDeliveryTransport transport;
    private AdminHttpServer server;
    private HttpTestClient http;

    @BeforeEach
    void start() {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry().register(Noted.class));
        transport = new NoDeliveryTransport(processor, EventCodec.of(processor.eventTypes()));
        server = AdminHttpServer.start(new HttpSettings(true, "127.0.0.1", 0, Optional.of(TOKEN), false),
                Optional.of(transport), () -> 0);
        server.observe(processor);
        http = new HttpTestClient(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
        transport.close();
    }

    @Test
    void healthAndStatsNameTheNoneTransportAndNotRedis() {
        HttpResponse<String> health = http.send(http.request("/health"));

        assertEquals(200, health.statusCode(), health.body());
        JsonNode body = json(health);
        assertEquals("none", body.path("transport").asText(), health.body());
        assertTrue(body.path("redisReachable").isNull(), health.body());
        assertEquals(0, body.path("workersRunning").asInt(-1), health.body());
        assertEquals("none", stats().path("transport").asText());
    }

    @Test
    void theUnhandledCountOfTheStatisticsAndOfTheMetricsAgree() {
        Noted event = new Noted(EventIds.newId(), Instant.now());
        transport.eventBus().publish(event);
        transport.eventBus().publish(event);
        transport.eventBus().publish(new Noted(EventIds.newId(), Instant.now()));

        assertEquals(2, stats().path("unhandled").asLong());
        HttpResponse<String> metrics = http.send(http.authorized("/metrics", TOKEN));
        assertEquals(200, metrics.statusCode(), metrics.body());
        assertTrue(metrics.body().contains("hexbus_events_unhandled_total{event=\"http-none.noted\"} 2.0"),
                metrics.body());
        assertTrue(metrics.body().contains("hexbus_queue_unhandled_total{group=\"none\"} 2.0"), metrics.body());
    }

    private JsonNode stats() {
        HttpResponse<String> response = http.send(http.authorized("/api/v1/queues/stats", TOKEN));
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }
}
