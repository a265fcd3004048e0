package io.hexbus.redis;

import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressUpdate;
import io.lettuce.core.Consumer;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The progress hash, the Redis form of {@link Progress}: {@link ProgressHash} reads what the scripts write, and
 * what {@code reschedule-4.lua} records from {@link ProgressHash#fields} reads back as the update applied at the
 * Redis time, as {@link Progress#after} says; a takeover counted by {@code reclaim-3.lua} as
 * {@link Progress#takenOver}.
 */
class ProgressHashTest {

    private static final long NOW = 1_700_000_000_000L;

    @AutoClose
    private final ScriptsOnRedis onRedis = new ScriptsOnRedis();
    private final RedisCommands<String, String> redis = onRedis.redis;
    private final Keys keys = onRedis.keys;
    private final ScriptRunner scripts = onRedis.scripts;

    @Test
    void readsEveryKindOfFieldAndIgnoresTheFailureTimesKeptForTheDeadLetter() {
        Progress read = ProgressHash.read(hash("done:a", "1", "dead:b", "1", "attempts:b", "1", "due:c", "42",
                "attempts:c", "2", "takeovers", "2", "error", "e", "firstFailedAt", "1", "lastFailedAt", "2"));

        assertEquals(new Progress(Set.of("a"), Set.of("b"), Map.of("b", 1, "c", 2), Map.of("c", 42L), 2, "e"), read);
    }

    @Test
    void noHashIsNoProgress() {
        assertEquals(Progress.NONE, ProgressHash.read(Map.of()));
        assertEquals(Progress.NONE, ProgressHash.read(hash("firstFailedAt", "1")));
    }

    @Test
    void anUpdateIsWrittenAsTheFieldsRedisHoldsSoOlderEntriesStillRead() {
        ProgressUpdate update = new ProgressUpdate(List.of("a"), orderedAttempts("b", 1, "c", 1),
                Map.of("c", 2_000L), Set.of("b"), "subscription 'c': down");

        Map<String, String> fields = ProgressHash.fields(update);

        assertEquals(List.of("done:a", "attempts:b", "dead:b", "attempts:c", "due:c", "error"),
                List.copyOf(fields.keySet()));
        assertEquals(List.of("1", "1", "1", "1", "2000", "subscription 'c': down"), List.copyOf(fields.values()),
                "due:c is a delay: reschedule-4.lua adds the Redis time");
    }

    @Test
    void anUpdateOfNoFailureWritesItsSuccessesAndKeepsTheError() {
        assertEquals(Map.of("done:c", "1", "error", "e"),
                ProgressHash.fields(new ProgressUpdate(List.of("c"), Map.of(), Map.of(), Set.of(), "e")));
        assertEquals(Map.of("attempts:c", "2", "due:c", "30000", "attempts:d", "0", "due:d", "30000",
                        "error", "newer version"),
                ProgressHash.fields(new ProgressUpdate(List.of(), orderedAttempts("c", 2, "d", 0),
                        Map.of("c", 30_000L, "d", 30_000L), Set.of(), "newer version")));
    }

    @Test
    void whatRescheduleRecordsReadsBackAsTheUpdateAppliedAtTheRedisTime() {
        String id = pendingEntryOf("worker");
        String progressKey = keys.progress(Keys.MAIN, id);
        redis.hset(progressKey, hash("done:a", "1", "attempts:b", "1", "due:b", Long.toString(NOW), "takeovers", "1",
                "error", "older"));
        Progress before = ProgressHash.read(redis.hgetall(progressKey));
        ProgressUpdate update = new ProgressUpdate(List.of("c"), orderedAttempts("b", 2, "d", 1), Map.of("b", 3_000L),
                Set.of("d"), "newer");

        long earliest = redisMillis();
        assertEquals(1L, reschedule(id, update));
        long latest = redisMillis();

        Progress after = ProgressHash.read(redis.hgetall(progressKey));
        long recordedAt = after.dueAt("b") - 3_000;
        assertTrue(earliest <= recordedAt && recordedAt <= latest, "due:b is 3 s after the Redis time of the write: "
                + after.dueAt("b") + " not in " + earliest + "..." + latest + " + 3000");
        assertEquals(before.after(update, recordedAt), after);
        assertEquals(new Progress(Set.of("a", "c"), Set.of("d"), Map.of("b", 2, "d", 1),
                Map.of("b", recordedAt + 3_000), 1, "newer"), after);
    }

    @Test
    void aTakeoverCountedByReclaimReadsBackAsOneMore() {
        String id = pendingEntryOf("crashed");
        String progressKey = keys.progress(Keys.MAIN, id);
        redis.hset(progressKey, hash("done:a", "1", "attempts:b", "2", "error", "older"));
        Progress before = ProgressHash.read(redis.hgetall(progressKey));

        List<Object> taken = scripts.run(Script.RECLAIM, new String[] {keys.stream(), keys.retrySet(),
                keys.groupStats()}, "g", "rescuer", "0", "10", Keys.MAIN, keys.progressPrefix(),
                ConsumerNames.RETRY_WAITING, "3600000");

        assertEquals(1, taken.size());
        assertEquals(before.takenOver(), ProgressHash.read(redis.hgetall(progressKey)));
        assertEquals(1, ProgressHash.read(redis.hgetall(progressKey)).takeovers());
    }

    @SuppressWarnings("unchecked") // Lettuce's varargs of a generic type
    private String pendingEntryOf(String consumer) {
        String id = redis.xadd(keys.stream(), Map.of("n", "x"));
        redis.xgroupCreate(XReadArgs.StreamOffset.from(keys.stream(), "0"), "g", XGroupCreateArgs.Builder.mkstream());
        redis.xreadgroup(Consumer.from("g", consumer), XReadArgs.StreamOffset.lastConsumed(keys.stream()));
        return id;
    }

    /** Runs reschedule-4.lua as the worker does for {@code update}; returns 1 when it was recorded. */
    private Long reschedule(String id, ProgressUpdate update) {
        List<String> args = new ArrayList<>(List.of("g", "worker", id, Keys.member(Keys.MAIN, id), "3000",
                "60000", "1", ConsumerNames.RETRY_WAITING, "1"));
        ProgressHash.fields(update).forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        return scripts.run(Script.RESCHEDULE, new String[] {keys.stream(), keys.progress(Keys.MAIN, id),
                keys.retrySet(), keys.groupStats()}, args.toArray(String[]::new));
    }

    private long redisMillis() {
        List<String> time = redis.time();
        return Long.parseLong(time.get(0)) * 1_000 + Long.parseLong(time.get(1)) / 1_000;
    }

    private static Map<String, String> hash(String... fieldsAndValues) {
        Map<String, String> hash = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            hash.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return hash;
    }

    private static Map<String, Integer> orderedAttempts(String first, int firstCount, String second, int secondCount) {
        Map<String, Integer> attempts = new LinkedHashMap<>();
        attempts.put(first, firstCount);
        attempts.put(second, secondCount);
        return attempts;
    }
}
