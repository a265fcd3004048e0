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
import io.hexbus.inmemory.NoDeliveryTransport;
import jakarta.inject.Singleton;

/**
 * The {@code none} transport, for a deployment that must not deliver: binds one {@link NoDeliveryTransport} as the
 * {@link QueuedTransport} port, its {@link TransportBus} {@link EventBus} (also {@link EventBus}, unless
 * {@code OutboxModule} sets the outbox's) (accepts, refuses and counts as a queue does, delivers nothing) and its
 * {@link QueueAdmin} (no dead letters). Install it with {@link EventBusCoreModule}, instead of another transport
 * module. No I/O; no handler ever runs ({@link HandlerExecution#NEVER}).
 */
public final class NoDeliveryTransportModule extends AbstractModule {

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), HandlerExecution.class).setDefault()
                .toInstance(HandlerExecution.NEVER);
        bind(QueuedTransport.class).to(NoDeliveryTransport.class);
        // Use cases get the plain EventBus: this transport's bus unless the outbox sets its own (OutboxModule).
        OptionalBinder.newOptionalBinder(binder(), EventBus.class).setDefault()
                .to(Key.get(EventBus.class, TransportBus.class));
    }

    @Provides
    @Singleton
    NoDeliveryTransport transport(DomainEventsProcessor processor, EventCodec codec) {
        return new NoDeliveryTransport(processor, codec);
    }

    @Provides
    @Singleton
    @TransportBus
    EventBus eventBus(NoDeliveryTransport transport) {
        return transport.eventBus();
    }

    @Provides
    @Singleton
    QueueAdmin queueAdmin(NoDeliveryTransport transport) {
        return transport.admin();
    }
}
