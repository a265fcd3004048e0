package io.hexbus.adapters.guice;

import com.fasterxml.jackson.databind.Module;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import jakarta.inject.Singleton;

import java.util.Objects;
import java.util.Set;

/**
 * What every wiring needs, whatever the transport: one {@link EventTypeRegistry}, one {@link EventCodec} over it
 * (with the Jackson modules that feature modules add to a {@code Set<com.fasterxml.jackson.databind.Module>}
 * multibinder) and one {@link DomainEventsProcessor} per injector, the (possibly empty) set of
 * {@link HandlerRegistrar}s that
 * feature modules add to, and the {@link SubscriptionSettings} of the {@link HandlerRegistry}, which also reads the
 * optional {@link HandlerExecution} a transport module sets.
 * Install it with exactly one transport module. No I/O.
 */
public final class EventBusCoreModule extends AbstractModule {

    private final SubscriptionSettings subscriptions;

    /**
     * With every subscription enabled and the default retry policy.
     */
    public EventBusCoreModule() {
        this(SubscriptionSettings.DEFAULT);
    }

    /**
     * @param subscriptions which subscriptions are disabled, and the default retry policy
     */
    public EventBusCoreModule(SubscriptionSettings subscriptions) {
        this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    }

    @Override
    protected void configure() {
        bind(SubscriptionSettings.class).toInstance(subscriptions);
        Multibinder.newSetBinder(binder(), HandlerRegistrar.class);
        Multibinder.newSetBinder(binder(), Module.class); // Jackson modules for event components' types
        OptionalBinder.newOptionalBinder(binder(), HandlerExecution.class); // each transport module sets its default
    }

    @Provides
    @Singleton
    EventTypeRegistry eventTypes() {
        return new EventTypeRegistry();
    }

    @Provides
    @Singleton
    EventCodec codec(EventTypeRegistry eventTypes, Set<Module> jacksonModules) {
        EventCodec.Builder codec = EventCodec.builder(eventTypes);
        jacksonModules.forEach(codec::addModule);
        return codec.build();
    }

    @Provides
    @Singleton
    DomainEventsProcessor processor(EventTypeRegistry eventTypes) {
        return new DomainEventsProcessor(eventTypes);
    }
}
