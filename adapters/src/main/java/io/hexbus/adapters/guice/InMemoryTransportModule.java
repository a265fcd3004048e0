package io.hexbus.adapters.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.multibindings.OptionalBinder;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.codec.EventCodec;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.inmemory.InMemoryEventBusSettings;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Objects;

/**
 * The in-memory transport (the default): binds its {@link TransportBus} {@link EventBus} (and {@link EventBus}, unless
 * {@code OutboxModule} sets the outbox's) to one {@link InMemoryEventBus} over the application's processor. Handlers
 * run in the publisher's thread; there is no worker, no retry and no persistence (so the registrations are logged
 * without retries or timeout: {@link HandlerExecution#IN_PUBLISHER_THREAD}). Install it with
 * {@link EventBusCoreModule}, instead of {@link RedisTransportModule}.
 */
public final class InMemoryTransportModule extends AbstractModule {

    private final InMemoryEventBusSettings settings;

    /** With the default settings: the wire check on. */
    public InMemoryTransportModule() {
        this(InMemoryEventBusSettings.DEFAULT);
    }

    /**
     * @param settings the dedupe window and the wire check of the bus
     */
    public InMemoryTransportModule(InMemoryEventBusSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), HandlerExecution.class).setDefault()
                .toInstance(HandlerExecution.IN_PUBLISHER_THREAD);
        // Use cases get the plain EventBus: this transport's bus unless the outbox sets its own (OutboxModule).
        OptionalBinder.newOptionalBinder(binder(), EventBus.class).setDefault()
                .to(Key.get(EventBus.class, TransportBus.class));
    }

    @Provides
    @Singleton
    @TransportBus
    EventBus eventBus(DomainEventsProcessor processor, EventCodec codec) {
        return new InMemoryEventBus(processor, settings, Clock.systemUTC(), codec);
    }
}
