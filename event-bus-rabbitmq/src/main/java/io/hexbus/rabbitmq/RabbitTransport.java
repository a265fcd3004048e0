package io.hexbus.rabbitmq;

import com.rabbitmq.client.Connection;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The RabbitMQ transport of one application: connects, declares its topology, and hands out its
 * {@link RabbitEventBus}, its workers and its {@link RabbitQueueAdmin} (docs/rabbitmq-transport.md).
 *
 * <pre>{@code
 * RabbitTransport rabbit = RabbitTransport.connect(RabbitConnectionSettings.parse("amqp://user:secret@rabbit:5672/"),
 *         RabbitQueueSettings.defaults("billing-service"), processor);
 * EventBus bus = rabbit.eventBus();          // producers
 * EngineWorker worker = rabbit.startWorker(); // consumers: a connection of its own each
 * ...
 * rabbit.close();                             // stops workers gracefully, then disconnects
 * }</pre>
 *
 * <p>{@code publish} answers {@code PUBLISHED} for a duplicate (RabbitMQ has no conditional write; the workers drop
 * it). Thread-safe. Every call to the broker is bounded by {@link RabbitQueueSettings#commandTimeout()}; a broker that
 * cannot be used fails a call with a {@link TransportUnavailableException} (or its timeout subclass) naming it.
 */
public final class RabbitTransport implements QueuedTransport {

    /** This transport's {@link #name()}. */
    public static final String NAME = "rabbitmq";

    private static final Logger log = LoggerFactory.getLogger(RabbitTransport.class);

    private final RabbitConnectionSettings connection;
    private final RabbitQueueSettings settings;
    private final RabbitWorkerSettings workerSettings;
    private final DomainEventsProcessor processor;
    private final CodecEnvelopeReader reader;
    private final RabbitEventBus eventBus;
    private final RabbitQueueAdmin admin;
    private final List<EngineWorker> workers = new ArrayList<>();
    private boolean closed; // guarded by this

    private RabbitTransport(RabbitConnectionSettings connection, RabbitQueueSettings settings,
                            RabbitWorkerSettings workerSettings, DomainEventsProcessor processor, EventCodec codec,
                            RabbitEventBus eventBus, RabbitQueueAdmin admin) {
        this.connection = connection;
        this.settings = settings;
        this.workerSettings = workerSettings;
        this.processor = processor;
        this.reader = new CodecEnvelopeReader(codec);
        this.eventBus = eventBus;
        this.admin = admin;
    }

    /**
     * Connects with the codec of the processor's event types and the default worker settings.
     *
     * @param connection where the broker is
     * @param settings   the application's queues and the command timeout
     * @param processor  routes consumed events to handlers; its registry names the event types
     * @return the connected transport
     * @throws TransportUnavailableException     if the broker cannot be used
     * @throws RabbitTopologyMismatchException if a queue or exchange exists with other arguments, naming it
     */
    public static RabbitTransport connect(RabbitConnectionSettings connection, RabbitQueueSettings settings,
                                          DomainEventsProcessor processor) {
        return connect(connection, settings, RabbitWorkerSettings.defaults(), processor,
                EventCodec.of(processor.eventTypes()));
    }

    /**
     * Connects: declares the bus's exchange and the application's queues and streams, and opens the bus's and the
     * admin's connections.
     *
     * @param connection     where the broker is
     * @param settings       the application's queues and the command timeout
     * @param workerSettings how its workers work
     * @param processor      routes consumed events to handlers; its registry names the event types
     * @param codec          writes and reads envelopes; built over the processor's registry
     * @return the connected transport
     * @throws TransportUnavailableException     if the broker cannot be used
     * @throws RabbitTopologyMismatchException if a queue or exchange exists with other arguments, naming it
     * @throws IllegalArgumentException          if the codec reads another registry than the processor's
     */
    public static RabbitTransport connect(RabbitConnectionSettings connection, RabbitQueueSettings settings,
                                          RabbitWorkerSettings workerSettings, DomainEventsProcessor processor,
                                          EventCodec codec) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(workerSettings, "workerSettings");
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(codec, "codec").requireReads(processor.eventTypes());
        try (Connection declaring = connection.connect(settings.group() + "-declare", settings.commandTimeout())) {
            RabbitTopology.declare(declaring, settings);
        } catch (java.io.IOException e) {
            throw new TransportUnavailableException("closing a connection to RabbitMQ at " + connection.describe()
                    + " failed: " + e.getMessage(), e);
        }
        workerSettings.check(settings);
        // The processor's observer is read at each publish: an application may set it after connecting.
        DeliveryObserver observer = new DeliveryObserver() {
            @Override
            public void published(String eventName, UUID eventId, boolean duplicate) {
                processor.observer().published(eventName, eventId, duplicate);
            }
        };
        RabbitEventBus bus = RabbitEventBus.connect(connection, settings, codec, observer, processor.tracing());
        try {
            RabbitQueueAdmin admin = RabbitQueueAdmin.connect(connection, settings, workerSettings, processor);
            return new RabbitTransport(connection, settings, workerSettings, processor, codec, bus, admin);
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return the bus that publishes to this transport */
    @Override
    public RabbitEventBus eventBus() {
        return eventBus;
    }

    /** @return the statistics and dead letters of this application */
    @Override
    public RabbitQueueAdmin admin() {
        return admin;
    }

    /**
     * Starts a worker of the application, with a connection of its own and
     * {@code workerSettings.engine().concurrency()} handler slots. Any number of workers, in this and other processes,
     * share the application's queues.
     *
     * @return the running worker; {@link #close()} stops it too
     * @throws TransportUnavailableException if it cannot connect
     * @throws IllegalStateException         if this transport is closed
     * @throws IllegalArgumentException      if the handler timeouts of an event's subscriptions, summed, are not below
     *                                       the consumer timeout
     */
    @Override
    public synchronized EngineWorker startWorker() {
        if (closed) {
            throw new IllegalStateException("this RabbitMQ transport is closed: connect a new one to start workers");
        }
        for (String eventName : processor.subscribedEventNames()) {
            // An event's subscriptions run one after another while its delivery stays unacknowledged: their
            // timeouts add up against the broker's consumer timeout.
            Duration round = Duration.ZERO;
            for (Subscription subscription : processor.subscriptionsFor(eventName)) {
                if (subscription.options().timeout() != null) {
                    round = round.plus(subscription.options().timeout());
                }
            }
            if (!round.isZero()) {
                workerSettings.checkHandlerTimeout("the subscriptions of event '" + eventName + "' (summed: they run one"
                        + " after another)", round);
            }
        }
        String name = settings.group() + "-" + UUID.randomUUID().toString().substring(0, 8);
        EngineWorker worker = new EngineWorker(new RabbitQueueBackend(connection, settings, workerSettings,
                reader.maxBytes(), name), reader, processor, workerSettings.engine(), name);
        worker.start(); // closes the backend if it fails
        workers.add(worker);
        log.info("Worker {} consuming {} on RabbitMQ at {}", name, settings.names().workQueue(),
                connection.describe());
        return worker;
    }

    /**
     * Stops every worker this transport started (all stop fetching, then each drains within its shutdown deadline;
     * what it did not settle goes back to the queues with its connection), then closes the bus and the admin.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        workers.forEach(EngineWorker::stopFetching);
        workers.forEach(EngineWorker::close);
        workers.clear();
        try {
            admin.close();
        } finally {
            eventBus.close();
        }
    }
}
