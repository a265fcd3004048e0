package io.hexbus.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The Redis queue's settings under {@code hexbus.redis.*}, mapped onto {@code io.hexbus.redis.RedisQueueSettings};
 * each unset one keeps that record's default. Where Redis is: {@code url}, else the Guice app's variables
 * ({@code REDIS_URL}, or {@code REDIS_HOST}, {@code REDIS_PORT}, {@code REDIS_PASSWORD}, {@code REDIS_DB}), else
 * {@code localhost:6379}. Immutable; {@link #toString()} shows no password.
 *
 * @param url               {@code redis://[user:password@]host:port[/db]}, or {@code rediss://} for TLS
 * @param keyPrefix         the prefix of every key, with exactly one hash tag (default {@code hexbus:{domain-events}})
 * @param concurrency       events one worker handles at once, 1 to 1000
 * @param visibilityTimeout how long a taken event stays with a worker that stopped renewing it before another takes
 *                          it over
 * @param commandTimeout    how long one Redis command (a publish included) may take
 * @param dedupeWindow      how long an event id is remembered, so that publishing it again is a duplicate
 */
@ConfigurationProperties("hexbus.redis")
public record HexbusRedisProperties(String url, String keyPrefix, Integer concurrency, Duration visibilityTimeout,
                                    Duration commandTimeout, Duration dedupeWindow) {

    /**
     * Checks the values that need no Redis type.
     *
     * @param url               the URL, or null
     * @param keyPrefix         the key prefix, or null
     * @param concurrency       events one worker handles at once, or null
     * @param visibilityTimeout the visibility timeout, or null
     * @param commandTimeout    the command timeout, or null
     * @param dedupeWindow      the dedupe window, or null
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    public HexbusRedisProperties {
        PropertyChecks.range("hexbus.redis.concurrency", concurrency, 1, 1_000);
        PropertyChecks.positive("hexbus.redis.visibility-timeout", visibilityTimeout);
        PropertyChecks.positive("hexbus.redis.command-timeout", commandTimeout);
        PropertyChecks.positive("hexbus.redis.dedupe-window", dedupeWindow);
    }

    @Override
    public String toString() {
        return "HexbusRedisProperties[url=" + (url == null ? null : "(set)") + ", keyPrefix=" + keyPrefix
                + ", concurrency=" + concurrency + ", visibilityTimeout=" + visibilityTimeout + ", commandTimeout="
                + commandTimeout + ", dedupeWindow=" + dedupeWindow + "]";
    }
}
