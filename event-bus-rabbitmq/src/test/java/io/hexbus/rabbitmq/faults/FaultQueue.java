package io.hexbus.rabbitmq.faults;

import io.hexbus.api.testing.faults.ParcelSent;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.rabbitmq.RabbitConnectionSettings;
import io.hexbus.rabbitmq.RabbitQueueSettings;
import io.hexbus.rabbitmq.RabbitTransport;
import io.hexbus.rabbitmq.RabbitWorkerSettings;
import io.hexbus.rabbitmq.testing.TestRabbit;

import java.time.Duration;
import java.util.List;

/**
 * One fault test's application on a RabbitMQ broker: its own prefix, the same in the test's JVM and in the worker
 * JVMs it starts (passed as arguments, {@link #args()}). Immutable.
 *
 * @param url          the broker's {@code amqp://} URI
 * @param settings     the application's queues, command timeout and delivery limit
 * @param maxTakeovers the engine's takeovers before it dead-letters a message
 */
record FaultQueue(String url, RabbitQueueSettings settings, int maxTakeovers) {

    /**
     * @param url            the broker
     * @param commandTimeout how long a call may take
     * @return an application of a fresh prefix
     */
    static FaultQueue create(String url, Duration commandTimeout) {
        return new FaultQueue(url, RabbitQueueSettings.defaults("faults").withPrefix(TestRabbit.uniquePrefix())
                .withCommandTimeout(commandTimeout), EngineSettings.defaults().maxTakeovers());
    }

    /**
     * @param takeovers     the engine's most takeovers
     * @param deliveryLimit the work queue's {@code x-delivery-limit}, above {@code takeovers}
     * @return this application with those limits
     */
    FaultQueue withLimits(int takeovers, int deliveryLimit) {
        return new FaultQueue(url, settings.withDeliveryLimit(deliveryLimit), takeovers);
    }

    /** @return the arguments {@link #fromArgs} reads back */
    List<String> args() {
        return List.of(url, settings.prefix(), Long.toString(settings.commandTimeout().toMillis()),
                Integer.toString(settings.deliveryLimit()), Integer.toString(maxTakeovers));
    }

    /**
     * @param args what {@link #args()} gave, from the first
     * @return the queue
     */
    static FaultQueue fromArgs(String... args) {
        return new FaultQueue(args[0], RabbitQueueSettings.defaults("faults").withPrefix(args[1])
                .withCommandTimeout(Duration.ofMillis(Long.parseLong(args[2])))
                .withDeliveryLimit(Integer.parseInt(args[3])), Integer.parseInt(args[4]));
    }

    /** @return a processor that knows {@link ParcelSent} */
    static DomainEventsProcessor processor() {
        return new DomainEventsProcessor(new EventTypeRegistry().register(ParcelSent.class));
    }

    /** @return the engine settings of the fault tests' workers, {@code concurrency} handler slots each */
    EngineSettings engine(int concurrency) {
        return RabbitWorkerSettings.defaults().engine().withConcurrency(concurrency)
                .withBlockTimeout(Duration.ofMillis(200)).withShutdownDeadline(Duration.ofSeconds(10))
                .withVisibilityTimeout(Duration.ofSeconds(5)) // a killed worker's last report stops counting soon
                .withMaxTakeovers(maxTakeovers);
    }

    /**
     * Connects a transport whose workers run {@code concurrency} handlers each.
     *
     * @param processor   routes to the handlers
     * @param concurrency handler slots per worker
     * @return the transport
     */
    RabbitTransport connect(DomainEventsProcessor processor, int concurrency) {
        return connect(processor, RabbitWorkerSettings.defaults().withEngine(engine(concurrency)));
    }

    /**
     * Connects a transport with these worker settings.
     *
     * @param processor routes to the handlers
     * @param workers   the workers' settings
     * @return the transport
     */
    RabbitTransport connect(DomainEventsProcessor processor, RabbitWorkerSettings workers) {
        return RabbitTransport.connect(RabbitConnectionSettings.parse(url), settings, workers, processor,
                EventCodec.of(processor.eventTypes()));
    }

    /** Deletes what the application declared on the shared broker. */
    void delete() {
        TestRabbit.deleteAll(settings.names());
    }
}
