package io.hexbus.redis.testing;

import io.hexbus.redis.RedisConnectionSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.util.ArrayList;
import java.util.List;

/** A plain Lettuce connection for raw commands in assertions and fault injection. */
public final class RawRedis implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RawRedis(RedisConnectionSettings settings) {
        RedisURI.Builder uri = RedisURI.builder().withHost(settings.host()).withPort(settings.port())
                .withDatabase(settings.database()).withSsl(settings.tls());
        if (settings.password() != null && settings.username() != null) {
            uri.withAuthentication(settings.username(), settings.password().toCharArray());
        } else if (settings.password() != null) {
            uri.withPassword(settings.password().toCharArray());
        }
        this.client = RedisClient.create(uri.build());
        this.connection = client.connect();
    }

    /**
     * @param settings where Redis is
     * @return a connected raw client
     */
    public static RawRedis to(RedisConnectionSettings settings) {
        return new RawRedis(settings);
    }

    /** @return synchronous commands */
    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /**
     * Deletes every key that starts with a prefix, and nothing else: tests share a Redis and never flush it.
     *
     * @param prefix a test's own key prefix
     */
    public void deleteKeysUnder(String prefix) {
        ScanIterator<String> keys = ScanIterator.scan(commands(), ScanArgs.Builder.matches(
                prefix.replace("{", "\\{").replace("}", "\\}") + "*").limit(500));
        List<String> found = new ArrayList<>();
        keys.forEachRemaining(found::add);
        if (!found.isEmpty()) {
            commands().del(found.toArray(String[]::new));
        }
    }

    /**
     * Deletes every key under a prefix on a Redis, through a connection of its own.
     *
     * @param settings where Redis is
     * @param prefix   a test's own key prefix
     */
    public static void deleteKeysUnder(RedisConnectionSettings settings, String prefix) {
        try (RawRedis raw = to(settings)) {
            raw.deleteKeysUnder(prefix);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
