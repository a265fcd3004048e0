package io.hexbus.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

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
 * @param routes            event name to the named queue it is published to ({@code RedisQueueSettings.withRoutes});
 *                          a name with dots goes in brackets: {@code hexbus.redis.routes[billing.mail-requested]=mail}.
 *                          Names not listed go to the queue {@code default}. Empty: the Guice app's
 *                          {@code HEXBUS_QUEUE_ROUTES}, else no routes
 * @param workers           this process's workers over the named queues, in the Guice app's {@code HEXBUS_WORKERS}
 *                          syntax: sets separated by {@code ;}, each {@code queues[:slots]} ({@code mail:8;default:4});
 *                          one worker per set, replacing {@code hexbus.workers}. Unset: {@code hexbus.workers}
 *                          workers, each over every queue
 */
@ConfigurationProperties("hexbus.redis")
public record HexbusRedisProperties(String url, String keyPrefix, Integer concurrency, Duration visibilityTimeout,
                                    Duration commandTimeout, Duration dedupeWindow, Map<String, String> routes,
                                    String workers) {

    /**
     * Checks the values that need no Redis type.
     *
     * @param url               the URL, or null
     * @param keyPrefix         the key prefix, or null
     * @param concurrency       events one worker handles at once, or null
     * @param visibilityTimeout the visibility timeout, or null
     * @param commandTimeout    the command timeout, or null
     * @param dedupeWindow      the dedupe window, or null
     * @param routes            event name to queue, or null
     * @param workers           the worker sets, or null
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    public HexbusRedisProperties {
        PropertyChecks.range("hexbus.redis.concurrency", concurrency, 1, 1_000);
        PropertyChecks.positive("hexbus.redis.visibility-timeout", visibilityTimeout);
        PropertyChecks.positive("hexbus.redis.command-timeout", commandTimeout);
        PropertyChecks.positive("hexbus.redis.dedupe-window", dedupeWindow);
        routes = routes == null ? Map.of() : Map.copyOf(routes);
    }

    @Override
    public String toString() {
        return "HexbusRedisProperties[url=" + (url == null ? null : "(set)") + ", keyPrefix=" + keyPrefix
                + ", concurrency=" + concurrency + ", visibilityTimeout=" + visibilityTimeout + ", commandTimeout="
                + commandTimeout + ", dedupeWindow=" + dedupeWindow + ", routes=" + routes + ", workers=" + workers + "]";
    }
}
