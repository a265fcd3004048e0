package io.hexbus.outbox.faults;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.outbox.OutboxEventBus;
import io.hexbus.outbox.OutboxMonitor;
import io.hexbus.outbox.OutboxRelay;
import io.hexbus.outbox.OutboxRelaySettings;
import io.hexbus.outbox.OutboxSchema;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.testing.RawRedis;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One fault test's outbox and transport: the outbox's tables migrated in the test's database, use cases' units of work
 * and outbox bus, a Redis transport on a key prefix of the test's own whose one worker (one slot, so it handles the
 * stream in order: the Redis transport does not order by key itself) runs {@link Handled}'s subscriptions, and the
 * relays and targets the test asks for. {@link #close} stops them all and deletes the test's Redis keys.
 */
final class OutboxFaults implements AutoCloseable {

    /** The consumer group of the workers, and the transports' name. */
    static final String GROUP = "outbox-faults";

    final DataSource dataSource;
    final EventCodec codec;
    final JdbcUnitOfWork units;
    final OutboxEventBus outbox;
    final RedisConnectionSettings redis;
    final String prefix = "hexbus-outbox-faults:{" + UUID.randomUUID().toString().substring(0, 8) + "}";
    final Handled handled = new Handled();
    private final List<AutoCloseable> resources = new ArrayList<>();

    /**
     * @param dataSource the test's database: its outbox is migrated, use cases and relays use it
     * @param redis      the Redis of the transport
     */
    OutboxFaults(DataSource dataSource, RedisConnectionSettings redis) {
        this.dataSource = dataSource;
        this.redis = redis;
        OutboxSchema.migrate(dataSource);
        this.codec = EventCodec.of(new EventTypeRegistry().register(ShipmentDue.class));
        this.units = new JdbcUnitOfWork(dataSource);
        this.outbox = closedAfter(new OutboxEventBus(units, codec, Clock.systemUTC()));
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        handled.register(processor);
        RedisTransport workers = closedAfter(RedisTransport.connect(redis, queueSettings(), processor));
        workers.startWorker();
    }

    /** Fast polls and short backoffs, so that a test waits for its faults, not for the relay. */
    static OutboxRelaySettings relaySettings(String name) {
        return OutboxRelaySettings.defaults().withName(name).withBatchSize(100).withPollInterval(Duration.ofMillis(200))
                .withMinBackoff(Duration.ofMillis(50)).withMaxBackoff(Duration.ofSeconds(1))
                .withStopTimeout(Duration.ofSeconds(5));
    }

    /**
     * The transport's settings: one slot, and a lease of 15 s. A read whose reply Redis never sent (killed while it
     * ran) leaves its entries pending for this worker without its knowing: they are taken over once their lease
     * lapsed, which must come within the tests' wait after Redis is back. The one worker never takes over what it
     * holds, so a longer outage re-runs nothing.
     */
    RedisQueueSettings queueSettings() {
        return RedisQueueSettings.defaults(GROUP).withKeyPrefix(prefix).withConcurrency(1)
                .withVisibilityTimeout(Duration.ofSeconds(15));
    }

    /** @return a bus of a transport of its own (another application instance's), counting what it is handed */
    CountingBus target() {
        DomainEventsProcessor publisherOnly = new DomainEventsProcessor(new EventTypeRegistry()
                .register(ShipmentDue.class));
        return new CountingBus(closedAfter(RedisTransport.connect(redis, queueSettings(), publisherOnly)).eventBus());
    }

    /** Starts a relay from {@code source} to {@code target} with {@link #relaySettings}; closed with the fixture. */
    OutboxRelay relay(String name, DataSource source, CountingBus target) {
        return relay(source, target, relaySettings(name));
    }

    /** Starts a relay from {@code source} to {@code target}; closed with the fixture. */
    OutboxRelay relay(DataSource source, CountingBus target, OutboxRelaySettings settings) {
        OutboxRelay relay = closedAfter(new OutboxRelay(source, codec, target, settings, Clock.systemUTC()));
        relay.start();
        return relay;
    }

    /** @return rows waiting to be forwarded */
    long waiting() {
        return new OutboxMonitor(dataSource).status().waiting();
    }

    /** @return the ids of every row in the outbox: what committed */
    Set<UUID> rows() throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (Connection connection = dataSource.getConnection(); Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery("SELECT event_id FROM hexbus_outbox")) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    /** @return rows marked sent */
    long sent() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement select = connection.createStatement();
             ResultSet count = select.executeQuery("SELECT count(*) FROM hexbus_outbox WHERE sent_at IS NOT NULL")) {
            count.next();
            return count.getLong(1);
        }
    }

    <T extends AutoCloseable> T closedAfter(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Stops relays and transports, newest first, then deletes the test's keys. */
    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        try {
            RawRedis.deleteKeysUnder(redis, prefix);
        } catch (RuntimeException e) { // a private Redis may be gone already: its keys went with it
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
