package io.hexbus.adapters.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.multibindings.OptionalBinder;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.codec.EventCodec;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisQueueVariables;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.WorkerQueues;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The Redis queue transport: binds one {@link RedisTransport} (a singleton, connected lazily when something first needs
 * it, never in {@code configure()}), also as the {@link QueuedTransport} port, its {@link TransportBus}
 * {@link EventBus} (also {@link EventBus}, unless {@code OutboxModule} sets the outbox's) and its {@link QueueAdmin}.
 * Install it with {@link EventBusCoreModule}, instead of another transport module. The only class of the app's wiring
 * that names Redis: a composition root asks for the port.
 *
 * <p>Asking the injector for any of these connects to Redis; if Redis cannot be used, Guice throws a
 * {@code ProvisionException} whose cause is a {@link io.hexbus.redis.RedisUnavailableException} (a
 * {@link io.hexbus.api.transport.TransportUnavailableException}). Workers are started by whoever runs the
 * application, through the bound {@link QueueWorkers} (one worker per configured worker set), and the transport is
 * closed by it too
 * ({@link QueuedTransport#close()}: workers stop gracefully, then the connections close).
 */
public final class RedisTransportModule extends AbstractModule {

    private final RedisConnectionSettings connection;
    private final RedisQueueSettings settings;
    private final List<WorkerQueues> workers;

    /**
     * A module whose {@link QueueWorkers} start one worker over every queue.
     *
     * @param connection where Redis is
     * @param settings   the consumer group, key prefix, concurrency, shutdown deadline and the rest
     */
    public RedisTransportModule(RedisConnectionSettings connection, RedisQueueSettings settings) {
        this(new RedisTransportSettings(connection, settings));
    }

    /**
     * @param settings where Redis is, the queue's settings and this process's worker sets, as read from the
     *                 configuration
     */
    public RedisTransportModule(RedisTransportSettings settings) {
        this.connection = settings.connection();
        this.settings = settings.queue();
        this.workers = settings.workers();
    }

    @Override
    protected void configure() {
        // A process that only publishes overrides this with setBinding(): HandlerExecution.ELSEWHERE.
        OptionalBinder.newOptionalBinder(binder(), HandlerExecution.class).setDefault()
                .toInstance(HandlerExecution.BY_QUEUE_WORKERS);
        bind(QueuedTransport.class).to(RedisTransport.class);
        // Use cases get the plain EventBus: this transport's bus unless the outbox sets its own (OutboxModule).
        OptionalBinder.newOptionalBinder(binder(), EventBus.class).setDefault()
                .to(Key.get(EventBus.class, TransportBus.class));
    }

    @Provides
    @Singleton
    RedisTransport transport(DomainEventsProcessor processor, EventCodec codec) {
        return RedisTransport.connect(connection, settings, processor, codec);
    }

    @Provides
    @Singleton
    @TransportBus
    EventBus eventBus(RedisTransport transport) {
        return transport.eventBus();
    }

    @Provides
    @Singleton
    QueueAdmin queueAdmin(RedisTransport transport) {
        return transport.admin();
    }

    /** One worker per configured worker set ({@value RedisQueueVariables#WORKERS}), or one over every queue. */
    @Provides
    @Singleton
    QueueWorkers queueWorkers(RedisTransport transport) {
        return () -> workers.isEmpty() ? List.of(transport.startWorker())
                : workers.stream().<QueueWorker>map(transport::startWorker).toList();
    }
}
