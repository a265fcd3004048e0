package io.hexbus.redis;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Takeover: reclaim-3.lua takes abandoned entries, but not those waiting for a retry or still being handled. */
class ReclaimScriptTest {

    @AutoClose
    private final ScriptsOnRedis onRedis = new ScriptsOnRedis();
    private final RedisCommands<String, String> redis = onRedis.redis;
    private final Keys keys = onRedis.keys;
    private final ScriptRunner scripts = onRedis.scripts;

    @SuppressWarnings("unchecked") // Lettuce's varargs of a generic type
    private String pendingEntryOf(String consumer) {
        String id = redis.xadd(keys.stream(), Map.of("n", "x"));
        if (redis.xinfoGroups(keys.stream()).isEmpty()) {
            redis.xgroupCreate(XReadArgs.StreamOffset.from(keys.stream(), "0"), "g",
                    io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        }
        redis.xreadgroup(Consumer.from("g", consumer), XReadArgs.StreamOffset.lastConsumed(keys.stream()));
        return id;
    }

    private List<Object> reclaim(String consumer, String... handling) {
        return reclaim(consumer, 10, 3_600_000, handling);
    }

    private List<Object> reclaim(String consumer, int max, long forgetAfterMillis, String... handling) {
        String[] args = new String[8 + handling.length];
        System.arraycopy(new String[] {"g", consumer, "0", Integer.toString(max), Keys.MAIN, keys.progressPrefix(),
                ConsumerNames.RETRY_WAITING, Long.toString(forgetAfterMillis)}, 0, args, 0, 8);
        System.arraycopy(handling, 0, args, 8, handling.length);
        return scripts.run(Script.RECLAIM, new String[] {keys.stream(), keys.retrySet(), keys.groupStats()}, args);
    }

    private String ownerOf(String id) {
        return redis.xpending(keys.stream(), "g", Range.create(id, id), Limit.from(1)).get(0).getConsumer();
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
    void entriesWaitingForARetryDoNotFillTheWindowOfATakeover() {
        for (int i = 0; i < 30; i++) { // each owned by the retry-waiting consumer, as reschedule-4.lua leaves it
            String waiting = pendingEntryOf(ConsumerNames.RETRY_WAITING);
            redis.zadd(keys.retrySet(), Double.MAX_VALUE, Keys.member(Keys.MAIN, waiting));
        }
        String abandoned = pendingEntryOf("crashed");

        assertEquals(1, reclaim("rescuer", 5, 3_600_000).size());

        assertEquals("rescuer", ownerOf(abandoned));
        redis.del(keys.progress(Keys.MAIN, abandoned));
    }

    @Test
    void anEntryAnOlderVersionLeftWaitingUnderItsWorkersNameIsHandedToTheRetryWaitingConsumer() {
        String waiting = pendingEntryOf("old-version-worker");
        redis.zadd(keys.retrySet(), Double.MAX_VALUE, Keys.member(Keys.MAIN, waiting));

        assertEquals(0, reclaim("rescuer").size());

        assertEquals(ConsumerNames.RETRY_WAITING, ownerOf(waiting));
        assertEquals(null, redis.hget(keys.groupStats(), "takeovers"), "not a takeover");
    }

    @Test
    void forgetsConsumersThatHoldNothingAndWereNotSeenForLong() {
        String id = pendingEntryOf("gone");
        redis.xack(keys.stream(), "g", id);
        String busy = pendingEntryOf("busy");

        reclaim("busy", 10, 0, Keys.member(Keys.MAIN, busy));

        List<String> left = redis.xinfoConsumers(keys.stream(), "g").stream()
                .map(c -> String.valueOf(((List<?>) c).get(1))).toList();
        assertEquals(List.of("busy"), left, "the empty consumer is deleted, the one holding an entry is kept");
    }

    @Test
    void neverTakesAnEntryTheCallerIsStillHandling() {
        String id = pendingEntryOf("self");

        assertEquals(0, reclaim("self", Keys.member(Keys.MAIN, id)).size());
        assertEquals(null, redis.hget(keys.groupStats(), "takeovers"));
    }
}
