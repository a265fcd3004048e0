package io.hexbus.redis;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.Range;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** complete-2.lua: one fenced acknowledgement for a batch, whatever order and owners its entries have. */
class CompleteScriptTest {

    @AutoClose
    private final ScriptsOnRedis onRedis = new ScriptsOnRedis();
    private final RedisCommands<String, String> redis = onRedis.redis;
    private final Keys keys = onRedis.keys;
    private final ScriptRunner scripts = onRedis.scripts;

    /** Appends entries and has {@code consumer} read them, so they are pending on it. */
    @SuppressWarnings("unchecked") // Lettuce's varargs of a generic type
    private List<String> pendingOn(String consumer, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(redis.xadd(keys.stream(), Map.of("n", "x")));
        }
        try {
            redis.xgroupCreate(XReadArgs.StreamOffset.from(keys.stream(), "0"), "g", XGroupCreateArgs.Builder.mkstream());
        } catch (io.lettuce.core.RedisBusyException exists) {
            // created by an earlier call
        }
        redis.xreadgroup(Consumer.from("g", consumer), XReadArgs.Builder.count(count),
                XReadArgs.StreamOffset.lastConsumed(keys.stream()));
        return ids;
    }

    /** Acknowledges entries on their first delivery, as read by {@link #pendingOn}. */
    private List<Object> complete(String consumer, String lowest, String highest, String... flaggedIds) {
        List<String> args = new ArrayList<>(List.of("g", consumer, keys.progressPrefix() + Keys.MAIN + "|",
                "completed", lowest, highest));
        for (String flagged : flaggedIds) {
            args.add(flagged);
            args.add("1");
        }
        return scripts.run(Script.COMPLETE, new String[] {keys.stream(), keys.groupStats()},
                args.toArray(String[]::new));
    }

    private List<String> pendingIds() {
        return redis.xpending(keys.stream(), "g", Range.create("-", "+"), Limit.from(100)).stream()
                .map(PendingMessage::getId).toList();
    }

    @Test
    void acknowledgesOnlyTheCallersEntriesAndCountsThem() {
        List<String> mine = pendingOn("me", 3);
        List<String> theirs = pendingOn("other", 1);
        String last = theirs.get(0);

        // Out of order, with another consumer's entry inside the range: that one is refused.
        List<Object> result = complete("me", mine.get(0), last, "-" + mine.get(2), "-" + last, "-" + mine.get(0));

        assertEquals(List.of(1L, 0L, 1L), result);
        assertEquals(List.of(mine.get(1), last), pendingIds());
        assertEquals("2", redis.hget(keys.groupStats(), "completed"));
    }

    @Test
    void deletesTheProgressOfFlaggedEntriesOnly() {
        List<String> ids = pendingOn("me", 2);
        redis.hset(keys.progress(Keys.MAIN, ids.get(0)), "attempts:s", "1");
        String unflagged = keys.progress(Keys.MAIN, ids.get(1));
        redis.hset(unflagged, "attempts:s", "1"); // a hash the caller says it does not have: left alone

        assertEquals(List.of(1L, 1L), complete("me", ids.get(0), ids.get(1), "+" + ids.get(0), "-" + ids.get(1)));

        assertEquals(0, redis.exists(keys.progress(Keys.MAIN, ids.get(0))));
        assertEquals(1, redis.exists(unflagged));
    }

    @Test
    void refusesEverythingOnceTheEntriesWereTakenOver() {
        List<String> ids = pendingOn("me", 2);
        redis.xclaim(keys.stream(), Consumer.from("g", "rescuer"), 0, ids.get(0), ids.get(1));

        assertEquals(List.of(0L, 0L), complete("me", ids.get(0), ids.get(1), "-" + ids.get(0), "-" + ids.get(1)));

        assertEquals(ids, pendingIds());
        assertEquals(null, redis.hget(keys.groupStats(), "completed"));
    }
}
