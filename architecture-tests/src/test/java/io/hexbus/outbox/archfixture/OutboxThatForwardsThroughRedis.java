package io.hexbus.outbox.archfixture;

import io.hexbus.redis.RedisTransport;

/**
 * Breaks {@code outboxDependsOnlyOnApiCodecJdbcPostgresqlAndFlyway}: a relay that holds the Redis transport itself
 * instead of the {@code EventBus} port the composition root hands it.
 */
public class OutboxThatForwardsThroughRedis {
    RedisTransport transport;
}
