package io.hexbus.adapters.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.OptionalBinder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hexbus.adapters.metrics.OutboxHealth;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.codec.EventCodec;
import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.outbox.OutboxEventBus;
import io.hexbus.outbox.OutboxRelay;
import io.hexbus.outbox.OutboxRelaySettings;
import io.hexbus.outbox.OutboxSchema;
import io.hexbus.outbox.OutboxStatus;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The transactional outbox on PostgreSQL ({@code event-bus-outbox-jdbc}), installed beside a transport module when
 * the application has a database: a HikariCP pool ({@link DataSource}), the outbox's schema migrated when the pool
 * is first needed, the {@link UnitOfWork} set to a {@link JdbcUnitOfWork} on it, the plain {@link EventBus} (the one
 * use cases get) set to an {@link OutboxEventBus} that writes to the outbox in the unit's transaction, and
 * {@link OutboxForwarding}: an {@link OutboxRelay} forwarding committed events to the {@link TransportBus}.
 * The only class of the app's wiring that names the outbox's types.
 *
 * <p>Creating the injector does no I/O: the pool connects, and the schema is migrated, when something first needs
 * them; a database that cannot be used is then a {@code ProvisionException}.
 */
public final class OutboxModule extends AbstractModule {

    /** How long the relay may fail in a row before the outbox is unhealthy: a transport's restart is not. */
    public static final Duration MAX_FAILING = Duration.ofSeconds(30);
    /** How long an event may wait before the outbox is unhealthy: no relay runs, or it cannot keep up. */
    public static final Duration MAX_WAITING_AGE = Duration.ofMinutes(1);

    private final DatabaseSettings database;
    private final OutboxRelaySettings relay;

    /**
     * @param database where the database is, and the pool's size
     * @param relay    the relay's batch size, polling, backoff and retention
     */
    public OutboxModule(DatabaseSettings database, OutboxRelaySettings relay) {
        this.database = Objects.requireNonNull(database, "database");
        this.relay = Objects.requireNonNull(relay, "relay");
    }

    /**
     * @param database where the database is, and the pool's size; the relay's settings are its defaults
     */
    public OutboxModule(DatabaseSettings database) {
        this(database, OutboxRelaySettings.defaults());
    }

    @Override
    protected void configure() {
        bind(DataSource.class).to(HikariDataSource.class);
        OptionalBinder.newOptionalBinder(binder(), UnitOfWork.class).setBinding().to(JdbcUnitOfWork.class);
        OptionalBinder.newOptionalBinder(binder(), EventBus.class).setBinding().to(OutboxEventBus.class);
    }

    @Provides
    @Singleton
    HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("hexbus-database");
        config.setJdbcUrl(database.jdbcUrl());
        database.user().ifPresent(config::setUsername);
        database.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(database.poolSize());
        // A database that cannot be reached fails the start within this, not after Hikari's default 30 s.
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        HikariDataSource pool = new HikariDataSource(config);
        try {
            OutboxSchema.migrate(pool);
        } catch (RuntimeException failed) {
            pool.close();
            throw failed;
        }
        return pool;
    }

    @Provides
    @Singleton
    JdbcUnitOfWork unitOfWork(DataSource dataSource) {
        return new JdbcUnitOfWork(dataSource);
    }

    @Provides
    @Singleton
    OutboxEventBus outboxBus(JdbcUnitOfWork units, EventCodec codec, DomainEventsProcessor processor) {
        return new OutboxEventBus(units, codec, Clock.systemUTC(), processor.tracing());
    }

    @Provides
    @Singleton
    OutboxForwarding forwarding(HikariDataSource pool, EventCodec codec, @TransportBus EventBus transport,
                                OutboxEventBus outbox, DomainEventsProcessor processor) {
        // The transport's processor: a relayed event keeps the trace it was written to the outbox in.
        return new RelayForwarding(new OutboxRelay(pool, codec, transport, relay, Clock.systemUTC(), processor),
                outbox, pool, Clock.systemUTC());
    }

    /** The relay, the outbox's bus and the pool, closed in that order; the relay's status as the adapters read it. */
    private static final class RelayForwarding implements OutboxForwarding {

        private final OutboxRelay relay;
        private final OutboxEventBus outbox;
        private final HikariDataSource pool;
        private final Clock clock;

        RelayForwarding(OutboxRelay relay, OutboxEventBus outbox, HikariDataSource pool, Clock clock) {
            this.relay = relay;
            this.outbox = outbox;
            this.pool = pool;
            this.clock = clock;
        }

        @Override
        public void start() {
            relay.start();
        }

        @Override
        public OutboxHealth health() {
            OutboxStatus status = relay.status();
            return new OutboxHealth(status.healthy(MAX_FAILING, MAX_WAITING_AGE, clock.instant()), status.waiting(),
                    status.oldestWaitingAge(), status.dead(), status.forwarded(), status.lastError(),
                    status.failingSince());
        }

        @Override
        public void close() {
            try {
                relay.close();
                outbox.close();
            } finally {
                pool.close();
            }
        }
    }
}
