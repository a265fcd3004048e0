package io.hexbus.redis;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.redis.testing.RedisServerProcess;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failing fast and clearly when Redis is gone or refuses us; each test runs its own redis-server. */
class RedisOutageTest {

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());

    @Test
    void publishWithRedisStoppedFailsWithinTwoSecondsNamingTheServer() throws Exception {
        try (RedisServerProcess server = TestRedis.startPrivate();
             RedisTransport transport = RedisTransport.connect(server.connection(),
                     RedisQueueSettings.defaults("outage"), processor)) {
            server.stop();

            EventPublishingException thrown = assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                    assertThrows(EventPublishingException.class,
                            () -> transport.eventBus().publish(OrderPlaced.of("o-1"))));

            assertTrue(thrown.getMessage().startsWith("could not publish 1 event(s) to Redis at redis://127.0.0.1:"
                    + server.port() + "/0: "), thrown.getMessage());
        }
    }

    @Test
    void aWrongPasswordFailsAtConnectWithoutShowingThePassword() throws Exception {
        try (RedisServerProcess server = TestRedis.startPrivate("--requirepass", "right-secret")) {
            RedisConnectionSettings wrong = new RedisConnectionSettings("127.0.0.1", server.port(), false, null,
                    "wrong-secret", 0);

            RedisUnavailableException thrown = assertThrows(RedisUnavailableException.class,
                    () -> RedisTransport.connect(wrong, RedisQueueSettings.defaults("outage"), processor));

            assertTrue(thrown.getMessage().startsWith("cannot use Redis at redis://127.0.0.1:" + server.port()
                    + "/0: "), thrown.getMessage());
            assertFalse(thrown.getMessage().contains("wrong-secret"), thrown.getMessage());
            assertFalse(wrong.toString().contains("wrong-secret"));
        }
    }

    @Test
    void scriptsAreSentAgainWhenRedisLostItsScriptCache() throws Exception {
        processor.eventTypes().register(OrderPlaced.class);
        try (RedisServerProcess server = TestRedis.startPrivate();
             RedisTransport transport = RedisTransport.connect(server.connection(),
                     RedisQueueSettings.defaults("outage"), processor);
             io.hexbus.redis.testing.RawRedis raw = io.hexbus.redis.testing.RawRedis.to(server.connection())) {
            transport.eventBus().publish(OrderPlaced.of("before"));

            raw.commands().scriptFlush(); // what a restart does to the cache

            assertEquals(io.hexbus.api.publishing.PublishOutcome.PUBLISHED,
                    transport.eventBus().publish(OrderPlaced.of("after")));
            assertEquals(2, raw.commands().xlen(RedisQueueSettings.DEFAULT_PREFIX + ":stream"));
        }
    }

    @Test
    void aRedisThatMayEvictKeysIsReportedAtConnect() throws Exception {
        try (RedisServerProcess evicting = TestRedis.startPrivate("--maxmemory-policy", "allkeys-lru");
             RedisServerProcess safe = TestRedis.startPrivate("--maxmemory-policy", "noeviction");
             RedisTransport risky = RedisTransport.connect(evicting.connection(),
                     RedisQueueSettings.defaults("outage"), processor);
             RedisTransport fine = RedisTransport.connect(safe.connection(), RedisQueueSettings.defaults("outage"),
                     processor)) {

            assertEquals(java.util.List.of("Redis at redis://127.0.0.1:" + evicting.port() + "/0 has"
                    + " maxmemory-policy=allkeys-lru: under memory pressure it may evict hexbus keys and lose events;"
                    + " set maxmemory-policy noeviction"), risky.warnings());
            assertEquals(java.util.List.of(), fine.warnings());
        }
    }

    @Test
    void anUnreachableServerFailsAtConnectNamingIt() {
        RedisConnectionSettings nowhere = new RedisConnectionSettings("127.0.0.1", 1, false, null, null, 0);

        RedisUnavailableException thrown = assertThrows(RedisUnavailableException.class,
                () -> RedisTransport.connect(nowhere, RedisQueueSettings.defaults("outage"), processor));

        assertEquals(true, thrown.getMessage().startsWith("cannot use Redis at redis://127.0.0.1:1/0: "),
                thrown.getMessage());
    }
}
