package io.hexbus.adapters.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.OptionalBinder;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.codec.EventCodec;
import io.hexbus.redis.RedisTransport;
import jakarta.inject.Singleton;

import java.util.Objects;

/**
 * The Redis queue transport: binds one {@link RedisTransport} (a singleton, connected lazily when something
 * first needs it, never in {@code configure()}), its {@link EventBus} and its {@link QueueAdmin}. Install it
 * with {@link EventBusCoreModule}, instead of {@link InMemoryTransportModule}.
 *
 * <p>Asking the injector for any of these connects to Redis; if Redis cannot be used, Guice throws a
 * {@code ProvisionException} whose cause is a {@link io.hexbus.redis.RedisUnavailableException}. Workers are
 * started by whoever runs the application ({@link RedisTransport#startWorker()}), and the transport is closed
 * by it too ({@link RedisTransport#close()}: workers stop gracefully, then the connections close).
 */
public final class RedisTransportModule extends AbstractModule {

    private final RedisConnectionSettings connection;
    private final RedisQueueSettings settings;

    /**
     * @param connection where Redis is
     * @param settings   the consumer group, key prefix, concurrency, shutdown deadline and the rest
     */
    public RedisTransportModule(RedisConnectionSettings connection, RedisQueueSettings settings) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    protected void configure() {
        // A process that only publishes overrides this with setBinding(): HandlerExecution.ELSEWHERE.
        OptionalBinder.newOptionalBinder(binder(), HandlerExecution.class).setDefault()
                .toInstance(HandlerExecution.BY_QUEUE_WORKERS);
    }

    @Provides
    @Singleton
    RedisTransport transport(DomainEventsProcessor processor, EventCodec codec) {
        return RedisTransport.connect(connection, settings, processor, codec);
    }

    @Provides
    @Singleton
    EventBus eventBus(RedisTransport transport) {
        return transport.eventBus();
    }

    @Provides
    @Singleton
    QueueAdmin queueAdmin(RedisTransport transport) {
        return transport.admin();
    }
}
