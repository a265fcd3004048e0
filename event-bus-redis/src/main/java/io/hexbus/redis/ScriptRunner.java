package io.hexbus.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Calls scripts by digest, sending a script's source only when Redis does not know it (first use, or
 * after Redis restarted and lost its script cache). Thread-safe when its commands are.
 */
final class ScriptRunner {

    private final RedisCommands<String, String> redis;

    ScriptRunner(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    <T> T run(Script script, String[] keys, String... args) {
        try {
            return redis.evalsha(script.digest(), script.output(), keys, args);
        } catch (RedisNoScriptException missing) {
            // EVAL runs it and caches it under the same digest for the next calls.
            return redis.eval(script.source(), script.output(), keys, args);
        }
    }
}
