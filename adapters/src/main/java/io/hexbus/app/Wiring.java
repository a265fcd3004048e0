package io.hexbus.app;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import io.hexbus.adapters.guice.EventBusCoreModule;
import io.hexbus.adapters.guice.HandlerExecution;
import io.hexbus.adapters.guice.InMemoryTransportModule;
import io.hexbus.adapters.guice.RedisTransportModule;
import io.hexbus.adapters.sample.InvoicingModule;
import io.hexbus.adapters.sample.NotificationsModule;
import io.hexbus.adapters.sample.SampleContextsModule;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that chooses the transport module: exactly one of {@link InMemoryTransportModule} and
 * {@link RedisTransportModule}, from {@link AppConfig#transport()}, beside the core module and the sample's
 * feature modules; and how this process runs handlers ({@link HandlerExecution}), which only it knows, since it
 * depends on the mode too. Creating the injector does no I/O: Redis is connected when something first needs it.
 */
final class Wiring {

    private Wiring() {
    }

    /**
     * @param config the application's configuration
     * @param extra  more modules, such as a feature module of a test
     * @return the modules of the application
     */
    static List<Module> modules(AppConfig config, List<? extends Module> extra) {
        List<Module> modules = new ArrayList<>();
        modules.add(new EventBusCoreModule(config.subscriptions()));
        modules.add(switch (config.transport()) {
            case IN_MEMORY -> new InMemoryTransportModule();
            case QUEUE -> new RedisTransportModule(config.redis(), config.queue());
        });
        HandlerExecution execution = handlerExecution(config.transport(), config.mode());
        modules.add(binder -> OptionalBinder.newOptionalBinder(binder, HandlerExecution.class).setBinding()
                .toInstance(execution));
        modules.add(new SampleContextsModule(HexbusApp.LINKS, Clock.systemUTC()));
        modules.add(new InvoicingModule());
        modules.add(new NotificationsModule(config.smtp()));
        modules.addAll(extra);
        return modules;
    }

    /**
     * @param transport the transport
     * @param mode      what this process does
     * @return how this process runs the handlers it registers: in memory always in the publisher's thread (mode
     *         {@code api} too: its tour's handlers run inside publish); on the queue by this process's workers,
     *         except in mode {@code api}, which only publishes
     */
    static HandlerExecution handlerExecution(TransportChoice transport, Mode mode) {
        return switch (transport) {
            case IN_MEMORY -> HandlerExecution.IN_PUBLISHER_THREAD;
            case QUEUE -> mode == Mode.API ? HandlerExecution.ELSEWHERE : HandlerExecution.BY_QUEUE_WORKERS;
        };
    }

    /**
     * @param config the application's configuration
     * @param extra  more modules, such as a feature module of a test
     * @return the injector; nothing is connected yet
     */
    static Injector injector(AppConfig config, List<? extends Module> extra) {
        return Guice.createInjector(modules(config, extra));
    }
}
