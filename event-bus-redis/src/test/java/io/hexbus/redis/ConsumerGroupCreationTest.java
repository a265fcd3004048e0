package io.hexbus.redis;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.redis.testing.RedisServerProcess;
import io.hexbus.redis.testing.RedisTestTransport;
import io.hexbus.redis.testing.TestRedis;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Creating the consumer group at start: an existing group is fine, a Redis busy with a script is not. */
class ConsumerGroupCreationTest {

    private static final String BUSY_FOR_SECONDS = """
            local start = tonumber(redis.call('TIME')[1])
            while tonumber(redis.call('TIME')[1]) - start < tonumber(ARGV[1]) do end
            return 1
            """;

    private final DomainEventsProcessor processor = new DomainEventsProcessor(
            new EventTypeRegistry().register(OrderPlaced.class));

    @Test
    void onlyABusyGroupReplyMeansTheGroupExists() {
        assertTrue(RedisQueueBackend.isGroupExists(new RedisBusyException(
                "BUSYGROUP Consumer Group name already exists")));
        assertFalse(RedisQueueBackend.isGroupExists(new RedisBusyException(
                "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.")));
    }

    @Test
    void aWorkerStartedWhileRedisIsBusyWithAScriptFailsInsteadOfTakingTheGroupForCreated() {
        try (RedisServerProcess server = TestRedis.startPrivate("--lua-time-limit", "10");
             RedisTestTransport redis = RedisTestTransport.connect(server.connection(),
                     RedisTestTransport.testSettings(), processor)) {
            RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
            try (StatefulRedisConnection<String, String> busy = client.connect();
                 StatefulRedisConnection<String, String> probe = client.connect()) {
                busy.setTimeout(Duration.ofSeconds(60));
                busy.async().eval(BUSY_FOR_SECONDS, ScriptOutputType.INTEGER, new String[0], "30");
                await().atMost(Duration.ofSeconds(10)).ignoreExceptionsMatching(e -> !(e instanceof RedisBusyException))
                        .until(() -> isBusy(probe));

                RedisUnavailableException thrown = assertThrows(RedisUnavailableException.class,
                        redis::startWorker);

                assertTrue(thrown.getMessage().contains("BUSY Redis is busy running a script"), thrown.getMessage());
                probe.sync().scriptKill();
                await().atMost(Duration.ofSeconds(10)).until(() -> !isBusy(probe));
                redis.startWorker(); // the group is created once Redis answers again
                assertTrue(redis.raw().xinfoGroups(redis.streamKey()).size() == 1, "the group exists now");
            } finally {
                client.shutdown();
            }
        }
    }

    private static boolean isBusy(StatefulRedisConnection<String, String> probe) {
        try {
            probe.sync().ping();
            return false;
        } catch (RedisBusyException e) {
            return true;
        }
    }
}
