package io.hexbus.redis;

import io.hexbus.redis.testing.RawRedis;
import io.hexbus.redis.testing.TestRedis;
import io.lettuce.core.Consumer;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Takeover: reclaim-3.lua takes abandoned entries, but not those waiting for a retry or still being handled. */
class ReclaimScriptTest {

    private final RawRedis raw = RawRedis.to(TestRedis.shared());
    private final RedisCommands<String, String> redis = raw.commands();
    private final Keys keys = new Keys("hexbus-test:{" + UUID.randomUUID() + "}", "g");
    private final ScriptRunner scripts = new ScriptRunner(redis);

    @AfterEach
    void cleanUp() {
        redis.del(keys.stream(), keys.retrySet(), keys.groupStats());
        raw.close();
    }

    @SuppressWarnings("unchecked") // Lettuce's varargs of a generic type
    private String pendingEntryOf(String consumer) {
        String id = redis.xadd(keys.stream(), Map.of("n", "x"));
        redis.xgroupCreate(XReadArgs.StreamOffset.from(keys.stream(), "0"), "g",
                io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        redis.xreadgroup(Consumer.from("g", consumer), XReadArgs.StreamOffset.lastConsumed(keys.stream()));
        return id;
    }

    private List<Object> reclaim(String consumer, String... handling) {
        String[] args = new String[6 + handling.length];
        System.arraycopy(new String[] {"g", consumer, "0", "10", Keys.MAIN, keys.progressPrefix()}, 0, args, 0, 6);
        System.arraycopy(handling, 0, args, 6, handling.length);
        return scripts.run(Script.RECLAIM, new String[] {keys.stream(), keys.retrySet(), keys.groupStats()}, args);
    }

    @Test
    void takesAnAbandonedEntryAndCountsATakeover() {
        String id = pendingEntryOf("crashed");

        assertEquals(1, reclaim("rescuer").size());

        assertEquals("rescuer", redis.xpending(keys.stream(), "g", io.lettuce.core.Range.create("-", "+"),
                io.lettuce.core.Limit.from(1)).get(0).getConsumer());
        assertEquals("1", redis.hget(keys.groupStats(), "takeovers"));
        assertEquals("1", redis.hget(keys.progress(Keys.MAIN, id), "takeovers"));
        redis.del(keys.progress(Keys.MAIN, id));
    }

    @Test
    void leavesAnEntryWaitingForItsRetry() {
        String id = pendingEntryOf("waiting");
        redis.zadd(keys.retrySet(), Double.MAX_VALUE, Keys.member(Keys.MAIN, id));

        assertEquals(0, reclaim("rescuer").size());
    }

    @Test
    void neverTakesAnEntryTheCallerIsStillHandling() {
        String id = pendingEntryOf("self");

        assertEquals(0, reclaim("self", Keys.member(Keys.MAIN, id)).size());
        assertEquals(null, redis.hget(keys.groupStats(), "takeovers"));
    }
}
