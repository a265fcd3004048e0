package io.hexbus.adapters.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.multibindings.OptionalBinder;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.codec.EventCodec;
import io.hexbus.rabbitmq.RabbitTransport;
import jakarta.inject.Singleton;

import java.util.Objects;

/**
 * The RabbitMQ queue transport: binds one {@link RabbitTransport} (a singleton, connected lazily when something first
 * needs it, never in {@code configure()}), also as the {@link QueuedTransport} port, its {@link TransportBus}
 * {@link EventBus} (also {@link EventBus}, unless {@code OutboxModule} sets the outbox's) and its {@link QueueAdmin}.
 * Install it with {@link EventBusCoreModule}, instead of another transport module. The only class of the app's wiring
 * that names RabbitMQ's transport: a composition root asks for the port.
 *
 * <p>Asking the injector for any of these connects to RabbitMQ and declares the bus's exchanges and the
 * application's queues and streams (or checks those there); if RabbitMQ cannot be used, Guice throws a
 * {@code ProvisionException} whose cause is a {@link io.hexbus.api.transport.TransportUnavailableException} naming
 * the broker (never the password), and if a queue or exchange exists with other arguments, a
 * {@link io.hexbus.rabbitmq.RabbitTopologyMismatchException} naming it. Workers are started by whoever runs the
 * application ({@link QueuedTransport#startWorker()}), and the transport is closed by it too
 * ({@link QueuedTransport#close()}: workers stop gracefully, then the connections close).
 */
public final class RabbitTransportModule extends AbstractModule {

    private final RabbitTransportSettings settings;

    /**
     * @param settings where RabbitMQ is, the prefix, the group and the workers, as read from the configuration
     */
    public RabbitTransportModule(RabbitTransportSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    protected void configure() {
        // A process that only publishes overrides this with setBinding(): HandlerExecution.ELSEWHERE.
        OptionalBinder.newOptionalBinder(binder(), HandlerExecution.class).setDefault()
                .toInstance(HandlerExecution.BY_QUEUE_WORKERS);
        bind(QueuedTransport.class).to(RabbitTransport.class);
        // Use cases get the plain EventBus: this transport's bus unless the outbox sets its own (OutboxModule).
        OptionalBinder.newOptionalBinder(binder(), EventBus.class).setDefault()
                .to(Key.get(EventBus.class, TransportBus.class));
    }

    @Provides
    @Singleton
    RabbitTransport transport(DomainEventsProcessor processor, EventCodec codec) {
        return RabbitTransport.connect(settings.connection(), settings.queue(), settings.workers(), processor, codec);
    }

    @Provides
    @Singleton
    @TransportBus
    EventBus eventBus(RabbitTransport transport) {
        return transport.eventBus();
    }

    @Provides
    @Singleton
    QueueAdmin queueAdmin(RabbitTransport transport) {
        return transport.admin();
    }
}
