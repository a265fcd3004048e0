package io.hexbus.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.testing.RawRedis;
import io.hexbus.redis.testing.RedisServerProcess;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.hexbus.adapters.http.HttpTestClient.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API answers a transport's failures by their transport-neutral types, over a private Redis that the
 * test pauses or stops: a command past its timeout is 504 {@code queue-timeout}, a Redis that cannot be used 503
 * {@code queue-unavailable}. (An {@link IllegalStateException} that is not a transport's failure is 500: see
 * {@code io.hexbus.app.SampleHttpApiTest}.)
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class AdminHttpServerTransportFailuresTest {

    private static final String TOKEN = "failures-test-token-0123456789";

    private RedisServerProcess redis;
    private RedisTransport transport;
    private AdminHttpServer server;
    private HttpTestClient http;

    @BeforeEach
    void start() {
        redis = TestRedis.startPrivate();
        transport = RedisTransport.connect(redis.connection(), RedisQueueSettings.defaults("http-failures")
                .withCommandTimeout(Duration.ofMillis(500)), new DomainEventsProcessor(new EventTypeRegistry()));
        server = AdminHttpServer.start(new HttpSettings(true, "127.0.0.1", 0, Optional.of(TOKEN), false),
                Optional.of(transport), () -> 0);
        http = new HttpTestClient(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        transport.close();
        redis.close();
    }

    @Test
    void aRedisThatDoesNotAnswerInTimeIs504() {
        assertEquals(200, http.send(http.authorized("/api/v1/queues/stats", TOKEN)).statusCode());
        try (RawRedis raw = RawRedis.to(redis.connection())) {
            raw.commands().clientPause(10_000); // every client waits; the admin's commands time out after 500 ms

            assertProblem(http.send(http.authorized("/api/v1/queues/stats", TOKEN)), 504, "queue-timeout");
            assertProblem(http.send(http.authorized("/api/v1/queues/failed", TOKEN)), 504, "queue-timeout");
        }
    }

    @Test
    void aRedisThatCannotBeUsedIs503() throws Exception {
        redis.stop();

        assertProblem(http.send(http.authorized("/api/v1/queues/stats", TOKEN)), 503, "queue-unavailable");
        assertProblem(http.send(http.authorized("/api/v1/queues/failed/retry-all", TOKEN)
                .header("Content-Type", "application/json").POST(HttpTestClient.body("{}"))), 503,
                "queue-unavailable");
    }

    @Test
    void theHealthCheckNamesTheTransportItWasGiven() {
        JsonNode health = HttpTestClient.json(http.send(http.request("/health")));

        assertEquals("redis", health.path("transport").asText(), health.toString());
        assertTrue(health.path("redisReachable").asBoolean(), health.toString());
    }
}
