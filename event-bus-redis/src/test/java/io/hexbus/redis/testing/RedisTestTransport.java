package io.hexbus.redis.testing;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.engine.worker.EngineWorker;
import io.hexbus.redis.QueueNames;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * A Redis transport under test on its own key prefix, with a raw client for assertions on keys, and
 * cleanup of every key under the prefix when closed.
 */
public final class RedisTestTransport implements AutoCloseable {

    private final RedisConnectionSettings connection;
    private final RedisQueueSettings settings;
    private final RedisTransport transport;
    private final RawRedis raw;
    private final List<EngineWorker> workers = new ArrayList<>();

    private RedisTestTransport(RedisConnectionSettings connection, RedisQueueSettings settings,
                               DomainEventsProcessor processor) {
        this.connection = connection;
        this.settings = settings;
        this.transport = RedisTransport.connect(connection, settings, processor);
        this.raw = RawRedis.to(connection);
    }

    /**
     * Settings for tests: a unique prefix, a fast poll and a short block so that tests run quickly.
     *
     * @return the settings
     */
    public static RedisQueueSettings testSettings() {
        return RedisQueueSettings.defaults("tests")
                .withKeyPrefix("hexbus-test:{" + UUID.randomUUID() + "}")
                .withShutdownDeadline(Duration.ofSeconds(5));
    }

    /**
     * @param connection where Redis is
     * @param settings   the transport settings (give each test its own prefix)
     * @param processor  the processor
     * @return a connected transport with no worker yet
     */
    public static RedisTestTransport connect(RedisConnectionSettings connection, RedisQueueSettings settings,
                                             DomainEventsProcessor processor) {
        return new RedisTestTransport(connection, settings, processor);
    }

    /** @return the transport */
    public RedisTransport transport() {
        return transport;
    }

    /** @return its settings */
    public RedisQueueSettings settings() {
        return settings;
    }

    /** @return a plain client on the same Redis, for raw commands in assertions */
    public RedisCommands<String, String> raw() {
        return raw.commands();
    }

    /** @return the event stream's key */
    public String streamKey() {
        return settings.keyPrefix() + ":stream";
    }

    /**
     * @return a newly started worker
     */
    public EngineWorker startWorker() {
        EngineWorker worker = transport.startWorker();
        workers.add(worker);
        return worker;
    }

    /**
     * @return true when no worker started through this object has an event in flight
     */
    public boolean workersIdle() {
        return workers.stream().allMatch(w -> w.inFlight() == 0);
    }

    /**
     * Waits until nothing is waiting, in flight or scheduled for retry in this transport's group.
     *
     * @param atMost how long to wait
     */
    public void awaitIdle(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
            QueueStats stats = transport.admin().stats();
            return stats.waiting() == 0 && stats.active() == 0 && stats.reserved() == 0 && stats.retryScheduled() == 0
                    && stats.scheduled() == 0
                    && workers.stream().allMatch(w -> w.inFlight() == 0);
        });
    }

    @Override
    public void close() {
        transport.close();
        settings.queues().forEach(queue -> raw.deleteKeysUnder(QueueNames.prefixOf(settings.keyPrefix(), queue)));
        raw.close();
    }

    /** @return where Redis is */
    public RedisConnectionSettings connection() {
        return connection;
    }
}
