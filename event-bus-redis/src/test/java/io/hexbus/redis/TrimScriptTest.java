package io.hexbus.redis;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Retention: trim-1.lua removes finished entries past the bounds, and never one a group still needs. */
class TrimScriptTest {

    @AutoClose
    private final ScriptsOnRedis onRedis = new ScriptsOnRedis();
    private final RedisCommands<String, String> redis = onRedis.redis;
    private final ScriptRunner scripts = onRedis.scripts;
    private final String stream = onRedis.prefix + ":stream";

    private List<String> append(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(redis.xadd(stream, Map.of("n", "e" + i)));
        }
        return ids;
    }

    @SuppressWarnings("unchecked") // Lettuce's varargs of a generic type
    private List<String> readAll(String group) {
        return redis.xreadgroup(Consumer.from(group, "c"), XReadArgs.Builder.count(100),
                XReadArgs.StreamOffset.lastConsumed(stream)).stream().map(StreamMessage::getId).toList();
    }

    private long redisMillis() {
        List<String> time = redis.time();
        return Long.parseLong(time.get(0)) * 1_000 + Long.parseLong(time.get(1)) / 1_000;
    }

    private long trim(int keepCount, long keepAgeMillis) {
        return scripts.<Long>run(Script.TRIM, new String[] {stream}, Integer.toString(keepCount),
                Long.toString(keepAgeMillis));
    }

    @Test
    void removesFinishedEntriesBelowTheFirstPendingOneOnly() {
        List<String> ids = append(5);
        redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "g");
        readAll("g");
        redis.xack(stream, "g", ids.get(0), ids.get(1), ids.get(3));

        assertEquals(2, trim(1, 1));

        assertEquals(ids.subList(2, 5), redis.xrange(stream, io.lettuce.core.Range.create("-", "+")).stream()
                .map(StreamMessage::getId).toList(), "the pending third entry and all after it stay");
    }

    @Test
    void keepsEntriesAGroupHasNotReadYet() {
        List<String> ids = append(4);
        redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "fast");
        redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "slow");
        readAll("fast").forEach(id -> redis.xack(stream, "fast", id));

        assertEquals(0, trim(1, 1));
        assertEquals(4, redis.xlen(stream));

        readAll("slow").forEach(id -> redis.xack(stream, "slow", id));
        // Past the 1 ms age bound on the Redis clock, or the newest entry stays as young (a fast machine).
        long newest = StreamIds.millis(ids.get(ids.size() - 1));
        await().until(() -> redisMillis() > newest + 1);
        assertEquals(4, trim(1, 1));
        assertEquals(ids.size() - 4, redis.xlen(stream));
    }

    @Test
    void keepsFinishedEntriesWithinBothBounds() {
        long twoHoursAgo = Long.parseLong(redis.time().get(0)) * 1000 - 2 * 3_600_000;
        for (int i = 0; i < 5; i++) {
            redis.xadd(stream, new io.lettuce.core.XAddArgs().id((twoHoursAgo + i) + "-0"), Map.of("n", "e" + i));
        }
        redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "g");
        readAll("g").forEach(id -> redis.xack(stream, "g", id));

        assertEquals(0, trim(10, 3 * 3_600_000), "younger than the age and fewer than the count: all kept");
        assertEquals(3, trim(2, 3 * 3_600_000), "young enough, but only the newest two are kept");
        assertEquals(2, trim(10, 3_600_000), "few, but older than the age: gone");
        assertEquals(0, redis.xlen(stream));
    }

    @Test
    void aStreamWithoutGroupsIsNotTrimmed() {
        append(3);

        assertEquals(0, trim(1, 1));
        assertEquals(3, redis.xlen(stream));
    }
}
