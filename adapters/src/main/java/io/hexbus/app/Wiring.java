package io.hexbus.app;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import io.hexbus.adapters.guice.EventBusCoreModule;
import io.hexbus.adapters.guice.HandlerExecution;
import io.hexbus.adapters.guice.InMemoryTransportModule;
import io.hexbus.adapters.guice.KafkaTransportModule;
import io.hexbus.adapters.guice.NoDeliveryTransportModule;
import io.hexbus.adapters.guice.OutboxModule;
import io.hexbus.adapters.guice.RabbitTransportModule;
import io.hexbus.adapters.guice.RedisTransportModule;
import io.hexbus.adapters.guice.SchedulingModule;
import io.hexbus.adapters.sample.InvoicingModule;
import io.hexbus.adapters.sample.InvoicingOnDatabaseModule;
import io.hexbus.adapters.sample.NotificationsModule;
import io.hexbus.scheduling.SchedulerSettings;
import io.hexbus.adapters.sample.SampleContextsModule;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that chooses the transport module: exactly one of {@link InMemoryTransportModule},
 * {@link RedisTransportModule}, {@link KafkaTransportModule}, {@link RabbitTransportModule} and
 * {@link NoDeliveryTransportModule}, from
 * {@link AppConfig#transport()} and {@link AppConfig#queue()}, beside the core module and the sample's feature modules; and how this process runs
 * handlers ({@link HandlerExecution}), which only it knows, since it depends on the mode too. With a database
 * ({@link AppConfig#database()}) it adds {@link OutboxModule} and {@link InvoicingOnDatabaseModule}: use cases then
 * publish to the outbox in their unit of work's transaction, the invoices are PostgreSQL's, and the outbox's relay
 * forwards to the chosen transport's bus; without one, nothing of it is installed. A queued transport's
 * module binds the {@link io.hexbus.api.transport.QueuedTransport} port, which is all the rest of the app names.
 * Recurring events ({@link SchedulingModule}) publish to the transport's bus, never the outbox.
 * Creating the injector does no I/O: Redis, Kafka, RabbitMQ or PostgreSQL is connected when something first needs
 * it.
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
        modules.add(new SchedulingModule(SchedulerSettings.defaults().withinDedupeWindow(config.dedupeWindow())));
        modules.add(switch (config.transport()) {
            case IN_MEMORY -> new InMemoryTransportModule();
            case QUEUE -> switch (config.queue()) {
                case REDIS -> new RedisTransportModule(config.redis());
                case KAFKA -> new KafkaTransportModule(config.kafka());
                case RABBITMQ -> new RabbitTransportModule(config.rabbitmq());
                case NONE -> new NoDeliveryTransportModule();
            };
        });
        HandlerExecution execution = handlerExecution(config.transport(), config.queue(), config.mode());
        modules.add(binder -> OptionalBinder.newOptionalBinder(binder, HandlerExecution.class).setBinding()
                .toInstance(execution));
        modules.add(new SampleContextsModule(HexbusApp.LINKS, Clock.systemUTC()));
        modules.add(new InvoicingModule());
        modules.add(new NotificationsModule(config.smtp()));
        config.database().ifPresent(database -> {
            modules.add(new OutboxModule(database));
            modules.add(new InvoicingOnDatabaseModule());
        });
        modules.addAll(extra);
        return modules;
    }

    /**
     * @param transport the transport
     * @param queue     which queue, when the transport is one
     * @param mode      what this process does
     * @return how this process runs the handlers it registers: in memory always in the publisher's thread (mode
     *         {@code api} too: its tour's handlers run inside publish); on the queue by this process's workers,
     *         except in mode {@code api}, which only publishes; never on the {@code none} transport
     */
    static HandlerExecution handlerExecution(TransportChoice transport, QueueChoice queue, Mode mode) {
        return switch (transport) {
            case IN_MEMORY -> HandlerExecution.IN_PUBLISHER_THREAD;
            case QUEUE -> queue == QueueChoice.NONE ? HandlerExecution.NEVER
                    : mode == Mode.API ? HandlerExecution.ELSEWHERE : HandlerExecution.BY_QUEUE_WORKERS;
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
