package io.hexbus.adapters.guice;

import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;

import io.hexbus.redis.RedisQueueVariables;
import io.hexbus.redis.WorkerQueues;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of {@link RedisTransportModule}, read from the environment (or the configuration file) next to
 * the module that uses them, so that a composition root names no Redis type: where Redis is ({@code REDIS_URL},
 * or {@code REDIS_HOST}, {@code REDIS_PORT}, {@code REDIS_PASSWORD}, {@code REDIS_DB}) and the queue's consumer
 * group, key prefix and worker concurrency, the named queues events are routed to ({@value RedisQueueVariables#ROUTES})
 * and this process's workers ({@value RedisQueueVariables#WORKERS}). Immutable; {@link #toString()} shows no
 * password.
 *
 * @param connection where Redis is
 * @param queue      the consumer group, key prefix, concurrency, routes, shutdown deadline and the rest
 * @param workers    the worker sets a worker process starts, one worker each; empty for one worker over every queue
 *                   ({@link io.hexbus.redis.RedisTransport#startWorker()})
 */
public record RedisTransportSettings(RedisConnectionSettings connection, RedisQueueSettings queue,
                                     List<WorkerQueues> workers) {

    /** The consumer group: one per application (service). */
    public static final String QUEUE_GROUP = "HEXBUS_QUEUE_GROUP";
    /** The prefix of every Redis key, with exactly one hash tag. */
    public static final String KEY_PREFIX = "HEXBUS_KEY_PREFIX";
    /** Events one worker handles at once. */
    public static final String WORKER_CONCURRENCY = "HEXBUS_WORKER_CONCURRENCY";
    /** The consumer group when {@link #QUEUE_GROUP} is unset. */
    public static final String DEFAULT_GROUP = "hexbus-sample";

    /** Every name {@link #fromConfiguration} reads. */
    public static final Set<String> VARIABLES = Set.of(QUEUE_GROUP, KEY_PREFIX, WORKER_CONCURRENCY, "REDIS_URL",
            "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_DB", RedisQueueVariables.ROUTES,
            RedisQueueVariables.WORKERS);

    /**
     * @param connection where Redis is
     * @param queue      the consumer group, key prefix, concurrency, routes, shutdown deadline and the rest
     * @param workers    the worker sets a worker process starts; empty for one worker over every queue
     */
    public RedisTransportSettings {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(queue, "queue");
        workers = List.copyOf(workers);
    }

    /**
     * Settings whose worker process starts one worker over every queue.
     *
     * @param connection where Redis is
     * @param queue      the consumer group, key prefix, concurrency, routes, shutdown deadline and the rest
     */
    public RedisTransportSettings(RedisConnectionSettings connection, RedisQueueSettings queue) {
        this(connection, queue, List.of());
    }

    /**
     * Reads and checks the settings.
     *
     * @param config           the merged configuration: the environment over the configuration file
     * @param shutdownDeadline how long in-flight handlers may finish at shutdown (a setting of the application)
     * @return the settings
     * @throws IllegalArgumentException naming the variable whose value is wrong and the allowed values
     */
    public static RedisTransportSettings fromConfiguration(Map<String, String> config, Duration shutdownDeadline) {
        return fromConfiguration(config, shutdownDeadline, Map.of());
    }

    /**
     * Reads and checks the settings, with the application's routes for when {@value RedisQueueVariables#ROUTES} is
     * unset.
     *
     * @param config           the merged configuration: the environment over the configuration file
     * @param shutdownDeadline how long in-flight handlers may finish at shutdown (a setting of the application)
     * @param defaultRoutes    event name to named queue when {@value RedisQueueVariables#ROUTES} is unset
     * @return the settings
     * @throws IllegalArgumentException naming the variable whose value is wrong and the allowed values
     */
    public static RedisTransportSettings fromConfiguration(Map<String, String> config, Duration shutdownDeadline,
                                                           Map<String, String> defaultRoutes) {
        String routesText = SettingValues.trimmed(config, RedisQueueVariables.ROUTES);
        Map<String, String> routes = routesText == null ? defaultRoutes : RedisQueueVariables.routes(routesText);
        RedisQueueSettings queue = queue(config, shutdownDeadline).withRoutes(routes);
        String workersText = SettingValues.trimmed(config, RedisQueueVariables.WORKERS);
        List<WorkerQueues> workers = workersText == null ? List.of()
                : RedisQueueVariables.workers(workersText, queue.queues(), queue.concurrency());
        return new RedisTransportSettings(connection(config), queue, workers);
    }

    /**
     * @return where Redis is (never its password), the consumer group and the key prefix, for the start-up log
     */
    public String describe() {
        String queues = queue.queues().size() == 1 ? "" : ", queues " + queue.queues();
        return connection.describe() + ", group '" + queue.group() + "', keys " + queue.keyPrefix() + queues;
    }

    /**
     * @return the consumer group
     */
    public String group() {
        return queue.group();
    }

    private static RedisConnectionSettings connection(Map<String, String> config) {
        if (SettingValues.trimmed(config, "REDIS_URL") == null) {
            SettingValues.wholeNumber(config, "REDIS_PORT", 6379, 1, 65_535, "the Redis port");
            SettingValues.wholeNumber(config, "REDIS_DB", 0, 0, Integer.MAX_VALUE, "the Redis database number");
        }
        return RedisConnectionSettings.fromEnvironment(config);
    }

    private static RedisQueueSettings queue(Map<String, String> config, Duration shutdownDeadline) {
        String group = config.getOrDefault(QUEUE_GROUP, DEFAULT_GROUP).trim();
        RedisQueueSettings queue;
        try {
            queue = RedisQueueSettings.defaults(group);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(QUEUE_GROUP + "='" + group + "' is not allowed: use 1 to 100 letters,"
                    + " digits, '.', '_' or '-' (one consumer group per application; default " + DEFAULT_GROUP + ")");
        }
        String prefix = config.getOrDefault(KEY_PREFIX, RedisQueueSettings.DEFAULT_PREFIX).trim();
        try {
            queue = queue.withKeyPrefix(prefix);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(KEY_PREFIX + "='" + prefix + "' is not allowed: use a prefix with"
                    + " exactly one hash tag in braces, like " + RedisQueueSettings.DEFAULT_PREFIX + " (the default)");
        }
        int concurrency = SettingValues.wholeNumber(config, WORKER_CONCURRENCY, queue.concurrency(), 1, 1_000,
                "events one worker handles at once");
        return queue.withConcurrency(concurrency).withShutdownDeadline(shutdownDeadline);
    }

    /** @return how long the queue remembers an event id, which bounds how far recurring events catch up */
    public Duration dedupeWindow() {
        return queue.dedupeWindow();
    }
}
