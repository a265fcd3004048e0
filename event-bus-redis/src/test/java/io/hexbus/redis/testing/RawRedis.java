package io.hexbus.redis.testing;

import io.hexbus.redis.RedisConnectionSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/** A plain Lettuce connection for raw commands in assertions and fault injection. */
public final class RawRedis implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RawRedis(RedisConnectionSettings settings) {
        RedisURI.Builder uri = RedisURI.builder().withHost(settings.host()).withPort(settings.port())
                .withDatabase(settings.database());
        if (settings.password() != null) {
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

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
