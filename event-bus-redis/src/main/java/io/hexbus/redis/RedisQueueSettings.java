package io.hexbus.redis;

import io.hexbus.engine.worker.EngineSettings;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the Redis transport behaves. Immutable; start from {@link #defaults(String)} and change what differs
 * with the {@code with…} methods.
 *
 * @param keyPrefix            the prefix of every key, with one hash tag so that every script's keys share
 *                             one Cluster slot; default {@code hexbus:{domain-events}}
 * @param group                the consumer group: one per application, so every application sees every
 *                             event while its workers share them
 * @param concurrency          events one worker handles at once, 1 or more
 * @param batchSize            the most entries read per round trip, 1 or more
 * @param blockTimeout         how long a read waits for new entries; bounds how fast a worker notices shutdown
 * @param pollInterval         how often a worker looks for due retries and abandoned events
 * @param visibilityTimeout    how long an event may go without a lease renewal before another worker takes
 *                             it over (default 30 s); leases are renewed every third of it
 * @param dedupeWindow         how long an event id is remembered against re-publishing (default 7 days)
 * @param newerVersionDelay    how long an entry written at a newer event version than this service reads waits
 *                             before it is tried again (default 30 s): during a rolling deploy, code that
 *                             reads it is on its way; the wait is not a failed attempt
 * @param newerVersionMaxWait  how long after it was published such an entry may wait before it is dead-lettered
 *                             instead (default 24 h): an entry that waits stays pending, and the stream is not
 *                             trimmed past a pending entry; retried from the dead-letter queue once code that
 *                             reads it runs
 * @param keepFinishedCount    finished events kept inspectable in the stream, at most this many (default 1,000)
 * @param keepFinishedAge      finished events kept inspectable, at most this long (default 24 h)
 * @param deadLetterRetention  how long dead letters are kept (default 7 days)
 * @param shutdownDeadline     how long a stopping worker lets in-flight handlers finish (default 30 s)
 * @param commandTimeout       how long a command, a publish included, may take before it fails (default 2 s)
 * @param maintenanceInterval  how often a worker trims finished events and cleans expired dead letters
 *                             (default 10 s)
 * @param maxTakeovers         how many times an event may be taken over from a worker that stopped renewing
 *                             its lease (crashed, killed, frozen) before it is dead-lettered instead of being
 *                             handed to the next worker (default 5): an event that kills every worker that
 *                             handles it stops there; takeovers are not failed attempts
 * @param routes               the named queue each listed event name is published to ({@link QueueNames}); a name
 *                             not listed goes to the {@value QueueNames#DEFAULT} queue. Each queue is a stream of its
 *                             own, keyed by {@link QueueNames#prefixOf}; see docs/scheduling.md. Changing a route moves
 *                             only the events published afterwards: those already published stay in their queue, and
 *                             their ids are deduplicated there
 */
public record RedisQueueSettings(String keyPrefix, String group, int concurrency, int batchSize,
                                 Duration blockTimeout, Duration pollInterval, Duration visibilityTimeout,
                                 Duration dedupeWindow, Duration newerVersionDelay, Duration newerVersionMaxWait,
                                 int keepFinishedCount,
                                 Duration keepFinishedAge, Duration deadLetterRetention, Duration shutdownDeadline,
                                 Duration commandTimeout, Duration maintenanceInterval, int maxTakeovers,
                                 Map<String, String> routes) {

    /** The default key prefix. */
    public static final String DEFAULT_PREFIX = "hexbus:{domain-events}";

    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    /**
     * Checks every component.
     *
     * @param keyPrefix           the prefix of every key
     * @param group               the consumer group
     * @param concurrency         events one worker handles at once
     * @param batchSize           the most entries read per round trip
     * @param blockTimeout        how long a read waits
     * @param pollInterval        how often retries and abandoned events are looked for
     * @param visibilityTimeout   how long an unrenewed lease lasts
     * @param dedupeWindow        how long ids are remembered
     * @param newerVersionDelay   how long an entry of a newer event version waits before it is tried again
     * @param newerVersionMaxWait how long after it was published such an entry may wait before it is dead-lettered
     * @param keepFinishedCount   finished events kept, at most
     * @param keepFinishedAge     finished events kept, at most this long
     * @param deadLetterRetention how long dead letters are kept
     * @param shutdownDeadline    how long in-flight handlers may finish at shutdown
     * @param commandTimeout      how long a command may take
     * @param maintenanceInterval how often finished events are trimmed and dead letters cleaned
     * @param maxTakeovers        how many takeovers an event may have before it is dead-lettered
     * @param routes              event name to named queue; copied
     * @throws IllegalArgumentException naming the component out of bounds, or a queue name that is not allowed
     */
    public RedisQueueSettings {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (!keyPrefix.matches("[^{}]*\\{[^{}]+}[^{}]*")) {
            throw new IllegalArgumentException("keyPrefix '" + keyPrefix + "' must hold exactly one hash tag,"
                    + " like hexbus:{domain-events}");
        }
        Objects.requireNonNull(group, "group");
        if (!GROUP.matcher(group).matches()) {
            throw new IllegalArgumentException("group '" + group + "' must be 1-100 letters, digits, '.', '_' or '-'");
        }
        positive("concurrency", concurrency);
        positive("batchSize", batchSize);
        positive("keepFinishedCount", keepFinishedCount);
        positive("maxTakeovers", maxTakeovers);
        positive("blockTimeout", blockTimeout);
        positive("pollInterval", pollInterval);
        positive("visibilityTimeout", visibilityTimeout);
        positive("dedupeWindow", dedupeWindow);
        positive("newerVersionDelay", newerVersionDelay);
        positive("newerVersionMaxWait", newerVersionMaxWait);
        positive("keepFinishedAge", keepFinishedAge);
        positive("deadLetterRetention", deadLetterRetention);
        positive("shutdownDeadline", shutdownDeadline);
        positive("commandTimeout", commandTimeout);
        positive("maintenanceInterval", maintenanceInterval);
        Objects.requireNonNull(routes, "routes");
        routes.forEach((name, queue) -> {
            Objects.requireNonNull(name, "an event name of routes");
            QueueNames.check(queue);
        });
        routes = Map.copyOf(routes);
        if (dedupeWindow.compareTo(keepFinishedAge) < 0) {
            throw new IllegalArgumentException("dedupeWindow " + dedupeWindow + " is shorter than keepFinishedAge "
                    + keepFinishedAge + ": an id must be remembered longer than its event is kept");
        }
    }

    /**
     * The defaults of the design brief for one application's consumer group.
     *
     * @param group the consumer group, typically the application's name
     * @return the settings
     */
    public static RedisQueueSettings defaults(String group) {
        return new RedisQueueSettings(DEFAULT_PREFIX, group, 4, 64, Duration.ofMillis(500), Duration.ofMillis(100),
                Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofSeconds(30), Duration.ofHours(24), 1_000, Duration.ofHours(24),
                Duration.ofDays(7), Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(10), 5, Map.of());
    }

    /**
     * @return the engine's part of these settings: how each worker runs
     */
    public EngineSettings engineSettings() {
        return new EngineSettings(concurrency, batchSize, blockTimeout, pollInterval, visibilityTimeout,
                shutdownDeadline, commandTimeout, maintenanceInterval, maxTakeovers, newerVersionDelay,
                newerVersionMaxWait);
    }

    /**
     * @param value the key prefix
     * @return a copy with it
     */
    public RedisQueueSettings withKeyPrefix(String value) {
        return new RedisQueueSettings(value, group, concurrency, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount, keepFinishedAge,
                deadLetterRetention, shutdownDeadline, commandTimeout, maintenanceInterval, maxTakeovers, routes);
    }

    /**
     * @param value events one worker handles at once
     * @return a copy with it
     */
    public RedisQueueSettings withConcurrency(int value) {
        return new RedisQueueSettings(keyPrefix, group, value, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount, keepFinishedAge,
                deadLetterRetention, shutdownDeadline, commandTimeout, maintenanceInterval, maxTakeovers, routes);
    }

    /**
     * @param value the visibility timeout
     * @return a copy with it
     */
    public RedisQueueSettings withVisibilityTimeout(Duration value) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, blockTimeout, pollInterval,
                value, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount, keepFinishedAge,
                deadLetterRetention, shutdownDeadline, commandTimeout, maintenanceInterval, maxTakeovers, routes);
    }

    /**
     * @param value the shutdown deadline
     * @return a copy with it
     */
    public RedisQueueSettings withShutdownDeadline(Duration value) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount, keepFinishedAge,
                deadLetterRetention, value, commandTimeout, maintenanceInterval, maxTakeovers, routes);
    }

    /**
     * @param count finished events kept, at most
     * @param age   finished events kept, at most this long
     * @return a copy with them
     */
    public RedisQueueSettings withKeepFinished(int count, Duration age) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, count, age, deadLetterRetention,
                shutdownDeadline, commandTimeout, maintenanceInterval, maxTakeovers, routes);
    }

    /**
     * @param value how long event ids are remembered against re-publishing
     * @return a copy with it
     */
    public RedisQueueSettings withDedupeWindow(Duration value) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, value, newerVersionDelay, newerVersionMaxWait, keepFinishedCount, keepFinishedAge,
                deadLetterRetention, shutdownDeadline, commandTimeout, maintenanceInterval, maxTakeovers, routes);
    }

    /**
     * @param value how long an entry of a newer event version waits before it is tried again
     * @return a copy with it
     */
    public RedisQueueSettings withNewerVersionDelay(Duration value) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, value, newerVersionMaxWait, keepFinishedCount, keepFinishedAge,
                deadLetterRetention, shutdownDeadline, commandTimeout, maintenanceInterval, maxTakeovers, routes);
    }

    /**
     * @param value how long after it was published an entry of a newer event version may wait
     * @return a copy with it
     */
    public RedisQueueSettings withNewerVersionMaxWait(Duration value) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, value, keepFinishedCount, keepFinishedAge,
                deadLetterRetention, shutdownDeadline, commandTimeout, maintenanceInterval, maxTakeovers, routes);
    }

    /**
     * @param value how long a command may take
     * @return a copy with it
     */
    public RedisQueueSettings withCommandTimeout(Duration value) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount, keepFinishedAge,
                deadLetterRetention, shutdownDeadline, value, maintenanceInterval, maxTakeovers, routes);
    }

    /**
     * @param value the consumer group
     * @return a copy with it
     */
    public RedisQueueSettings withGroup(String value) {
        return new RedisQueueSettings(keyPrefix, value, concurrency, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount, keepFinishedAge,
                deadLetterRetention, shutdownDeadline, commandTimeout, maintenanceInterval, maxTakeovers, routes);
    }

    /**
     * @param value how often finished events are trimmed and dead letters cleaned
     * @return a copy with it
     */
    public RedisQueueSettings withMaintenanceInterval(Duration value) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount, keepFinishedAge,
                deadLetterRetention, shutdownDeadline, commandTimeout, value, maxTakeovers, routes);
    }

    /**
     * @param retention how long dead letters are kept
     * @return a copy with it
     */
    public RedisQueueSettings withDeadLetterRetention(Duration retention) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount, keepFinishedAge,
                retention, shutdownDeadline, commandTimeout, maintenanceInterval, maxTakeovers, routes);
    }

    /**
     * @param value how many times an event may be taken over before it is dead-lettered
     * @return a copy with it
     */
    public RedisQueueSettings withMaxTakeovers(int value) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount, keepFinishedAge,
                deadLetterRetention, shutdownDeadline, commandTimeout, maintenanceInterval, value, routes);
    }

    /**
     * @param value the most entries read per round trip, 1 or more
     * @return a copy with it
     */
    public RedisQueueSettings withBatchSize(int value) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, value, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount,
                keepFinishedAge, deadLetterRetention, shutdownDeadline, commandTimeout, maintenanceInterval,
                maxTakeovers, routes);
    }

    /**
     * @param value how long a read waits for new entries
     * @return a copy with it
     */
    public RedisQueueSettings withBlockTimeout(Duration value) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, value, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount,
                keepFinishedAge, deadLetterRetention, shutdownDeadline, commandTimeout, maintenanceInterval,
                maxTakeovers, routes);
    }

    /**
     * @param value how often a worker looks for due retries and abandoned events
     * @return a copy with it
     */
    public RedisQueueSettings withPollInterval(Duration value) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, blockTimeout, value,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount,
                keepFinishedAge, deadLetterRetention, shutdownDeadline, commandTimeout, maintenanceInterval,
                maxTakeovers, routes);
    }

    /**
     * @param value event name to named queue; names not listed go to the {@value QueueNames#DEFAULT} queue
     * @return a copy with these routes instead of the present ones
     * @throws IllegalArgumentException naming a queue name that is not allowed
     */
    public RedisQueueSettings withRoutes(Map<String, String> value) {
        return new RedisQueueSettings(keyPrefix, group, concurrency, batchSize, blockTimeout, pollInterval,
                visibilityTimeout, dedupeWindow, newerVersionDelay, newerVersionMaxWait, keepFinishedCount,
                keepFinishedAge, deadLetterRetention, shutdownDeadline, commandTimeout, maintenanceInterval,
                maxTakeovers, value);
    }

    /**
     * @param eventName an event name
     * @return the queue it is published to: its route, else {@value QueueNames#DEFAULT}
     */
    public String queueOf(String eventName) {
        return routes.getOrDefault(eventName, QueueNames.DEFAULT);
    }

    /**
     * @return every queue of this application: {@value QueueNames#DEFAULT} first, then the routed ones, sorted
     */
    public List<String> queues() {
        Set<String> all = new LinkedHashSet<>();
        all.add(QueueNames.DEFAULT);
        routes.values().stream().sorted().forEach(all::add);
        return List.copyOf(all);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
