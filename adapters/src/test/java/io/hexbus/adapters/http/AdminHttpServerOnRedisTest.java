package io.hexbus.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.testing.RawRedis;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static io.hexbus.adapters.http.HttpTestClient.assertProblem;
import static io.hexbus.adapters.http.HttpTestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP admin API over the shared test Redis, on a key prefix of its own. */
class AdminHttpServerOnRedisTest extends AdminHttpServerOnAQueue {

    private final String prefix = "hexbus-test:{" + UUID.randomUUID() + "}";
    private RedisConnectionSettings redis;

    @Override
    QueuedTransport connect(DomainEventsProcessor processor) {
        String url = System.getenv("REDIS_URL");
        redis = url == null || url.isBlank() ? TestRedis.shared() : RedisConnectionSettings.fromUrl(url.trim());
        return RedisTransport.connect(redis, RedisQueueSettings.defaults(GROUP).withKeyPrefix(prefix)
                .withShutdownDeadline(Duration.ofSeconds(5)), processor);
    }

    @Override
    void deleteData() {
        RawRedis.deleteKeysUnder(redis, prefix);
    }

    @Override
    String transportName() {
        return "redis";
    }

    @Test
    void healthSaysRedisIsReachableThenDownWhenRedisCannotBeUsed() {
        assertTrue(json(http.send(http.request("/health"))).path("redisReachable").asBoolean());

        transport.close();
        closed = true;

        HttpResponse<String> down = http.send(http.request("/health"));
        assertEquals(503, down.statusCode(), down.body());
        JsonNode health = json(down);
        assertEquals("DOWN", health.path("status").asText());
        assertFalse(health.path("redisReachable").asBoolean(true));
        assertProblem(http.send(http.authorized("/api/v1/queues/stats", TOKEN)), 503, "queue-unavailable");
    }
}
