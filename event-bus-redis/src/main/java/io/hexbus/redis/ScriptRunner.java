package io.hexbus.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Calls scripts by digest, sending a script's source only when Redis does not know it (first use, or
 * after Redis restarted and lost its script cache). A call with the wrong number of keys for the script fails
 * before reaching Redis. Thread-safe when its commands are.
 */
final class ScriptRunner {

    private final RedisCommands<String, String> redis;

    ScriptRunner(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    /**
     * Runs {@code script}.
     *
     * @throws IllegalArgumentException if {@code keys} is not as many keys as the script takes
     */
    <T> T run(Script script, String[] keys, String... args) {
        script.keys().check(keys.length);
        try {
            return redis.evalsha(script.digest(), script.output(), keys, args);
        } catch (RedisNoScriptException missing) {
            // EVAL runs it and caches it under the same digest for the next calls.
            return redis.eval(script.source(), script.output(), keys, args);
        }
    }
}
