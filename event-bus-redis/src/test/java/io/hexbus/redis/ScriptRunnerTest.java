package io.hexbus.redis;

import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Redis makes of the expanded scripts, and the key-count check of a call. */
class ScriptRunnerTest {

    @AutoClose
    private final ScriptsOnRedis onRedis = new ScriptsOnRedis();
    private final RedisCommands<String, String> redis = onRedis.redis;
    private final ScriptRunner scripts = onRedis.scripts;
    private final String stream = onRedis.prefix + ":stream";

    @ParameterizedTest
    @EnumSource(Script.class)
    void redisCompilesTheExpandedSourceUnderTheDigestTheRunnerCalls(Script script) {
        assertEquals(script.digest(), redis.scriptLoad(script.source()), script.file());
    }

    @Test
    void aCallWithTheWrongNumberOfKeysFailsBeforeReachingRedis() {
        redis.xadd(stream, Map.of("n", "e"));
        redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "$"), "g");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scripts.run(Script.TRIM, new String[] {stream, stream}, "10", "0"));

        assertTrue(e.getMessage().contains("trim-1.lua"), e.getMessage());
        assertEquals(1L, redis.xlen(stream), "the trim did not run: it would have removed the finished entry, older than 0 ms");
        assertEquals(0L, scripts.<Long>run(Script.TRIM, new String[] {stream}, "10", "3600000"),
                "with the right keys it runs (and keeps the entry: it is within both bounds)");
    }
}
