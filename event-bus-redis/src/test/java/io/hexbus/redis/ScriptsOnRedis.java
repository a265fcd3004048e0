package io.hexbus.redis;

import io.hexbus.redis.testing.RawRedis;
import io.hexbus.redis.testing.TestRedis;
import io.lettuce.core.api.sync.RedisCommands;

import java.util.UUID;

/**
 * What a test of the scripts works on: a connection to the test Redis, the transport's scripts over it, and the
 * keys of group {@code g} under a prefix of its own, all deleted when it is closed ({@code @AutoClose}).
 */
final class ScriptsOnRedis implements AutoCloseable {

    final RawRedis raw = RawRedis.to(TestRedis.shared());
    final RedisCommands<String, String> redis = raw.commands();
    final String prefix = "hexbus-test:{" + UUID.randomUUID() + "}";
    final Keys keys = new Keys(prefix, "g");
    final ScriptRunner scripts = new ScriptRunner(redis);

    @Override
    public void close() {
        try {
            raw.deleteKeysUnder(prefix);
        } finally {
            raw.close();
        }
    }
}
