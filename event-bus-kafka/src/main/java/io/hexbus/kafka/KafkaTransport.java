package io.hexbus.kafka;

import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineWorker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The Kafka transport of one application: connects, and hands out its {@link KafkaEventBus}, its workers and its
 * {@link KafkaQueueAdmin} (docs/kafka-transport.md).
 *
 * <pre>{@code
 * KafkaTransport kafka = KafkaTransport.connect(KafkaConnectionSettings.parse("kafka-1:9092,kafka-2:9092"),
 *         KafkaQueueSettings.defaults("billing-service"), processor);
 * EventBus bus = kafka.eventBus();          // producers
 * EngineWorker worker = kafka.startWorker(); // consumers: one consumer of the group each
 * ...
 * kafka.close();                            // stops workers gracefully, then disconnects
 * }</pre>
 *
 * <p>What it does not do yet, beside what {@code KafkaQueueBackend} lists: {@code publish} answers
 * {@code PUBLISHED} for a duplicate (the duplicate is dropped by the workers).
 *
 * <p>Thread-safe. Every call to the cluster is bounded by {@link KafkaQueueSettings#commandTimeout()}; a cluster that
 * cannot be used fails a call with a {@link TransportUnavailableException} (or its timeout subclass).
 */
public final class KafkaTransport implements QueuedTransport {

    /** This transport's {@link #name()}. */
    public static final String NAME = "kafka";

    private static final Logger log = LoggerFactory.getLogger(KafkaTransport.class);

    private final KafkaConnectionSettings connection;
    private final KafkaQueueSettings settings;
    private final KafkaWorkerSettings workerSettings;
    private final DomainEventsProcessor processor;
    private final CodecEnvelopeReader reader;
    private final KafkaEventBus eventBus;
    private final KafkaQueueAdmin admin;
    private final Producer<String, String> producer;
    private final List<EngineWorker> workers = new ArrayList<>();
    private boolean closed; // guarded by this

    private KafkaTransport(KafkaConnectionSettings connection, KafkaQueueSettings settings,
                           KafkaWorkerSettings workerSettings, DomainEventsProcessor processor, EventCodec codec,
                           KafkaEventBus eventBus, KafkaQueueAdmin admin, Producer<String, String> producer) {
        this.connection = connection;
        this.settings = settings;
        this.workerSettings = workerSettings;
        this.processor = processor;
        this.reader = new CodecEnvelopeReader(codec);
        this.eventBus = eventBus;
        this.admin = admin;
        this.producer = producer;
    }

    /**
     * Connects with the codec of the processor's event types and the default worker settings.
     *
     * @param connection where the cluster is
     * @param settings   the topics, the group and the command timeout
     * @param processor  routes consumed events to handlers; its registry names the event types
     * @return the connected transport
     * @throws TransportUnavailableException if the cluster cannot be used
     * @throws IllegalStateException         if a topic exists with another shape, naming it and what differs
     */
    public static KafkaTransport connect(KafkaConnectionSettings connection, KafkaQueueSettings settings,
                                         DomainEventsProcessor processor) {
        return connect(connection, settings, KafkaWorkerSettings.defaults(), processor,
                EventCodec.of(processor.eventTypes()));
    }

    /**
     * Connects with the application's codec and the default worker settings.
     *
     * @param connection where the cluster is
     * @param settings   the topics, the group and the command timeout
     * @param processor  routes consumed events to handlers; its registry names the event types
     * @param codec      writes and reads envelopes; built over the processor's registry
     * @return the connected transport
     * @throws TransportUnavailableException if the cluster cannot be used
     * @throws IllegalStateException         if a topic exists with another shape, naming it and what differs
     * @throws IllegalArgumentException      if the codec reads another registry than the processor's
     */
    public static KafkaTransport connect(KafkaConnectionSettings connection, KafkaQueueSettings settings,
                                         DomainEventsProcessor processor, EventCodec codec) {
        return connect(connection, settings, KafkaWorkerSettings.defaults(), processor, codec);
    }

    /**
     * Connects: creates the topics that are missing (events, retry tiers, state, dead letters, stats) or checks those
     * there, and starts the bus's producers, the admin's clients and the workers' producer.
     *
     * @param connection     where the cluster is
     * @param settings       the topics, the group and the command timeout
     * @param workerSettings how its workers work
     * @param processor      routes consumed events to handlers; its registry names the event types
     * @param codec          writes and reads envelopes; built over the processor's registry
     * @return the connected transport
     * @throws TransportUnavailableException if the cluster cannot be used
     * @throws IllegalStateException         if a topic exists with another shape, naming it and what differs
     * @throws IllegalArgumentException      if the codec reads another registry than the processor's
     */
    public static KafkaTransport connect(KafkaConnectionSettings connection, KafkaQueueSettings settings,
                                         KafkaWorkerSettings workerSettings, DomainEventsProcessor processor,
                                         EventCodec codec) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(workerSettings, "workerSettings");
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(codec, "codec").requireReads(processor.eventTypes());
        String servers = connection.bootstrapServersConfig();
        // The processor's observer is read at each publish: an application may set it after connecting.
        DeliveryObserver observer = new DeliveryObserver() {
            @Override
            public void published(String eventName, UUID eventId, boolean duplicate) {
                processor.observer().published(eventName, eventId, duplicate);
            }
        };
        KafkaEventBus bus = KafkaEventBus.connect(connection, settings, codec, observer, processor.tracing());
        KafkaQueueAdmin admin = null;
        Producer<String, String> producer = null;
        try {
            admin = KafkaQueueAdmin.connect(connection, settings, codec, workerSettings.sessionTimeout(),
                    name -> processor.subscriptionsFor(name).stream().map(Subscription::name).toList());
            try (Admin topics = Admin.create(KafkaCalls.adminConfig(connection, settings))) {
                StateTopic.ensure(topics, settings, servers);
            } catch (KafkaException e) {
                throw KafkaCalls.translate(e, "creating the state topic", servers);
            }
            producer = KafkaCalls.producer(KafkaCalls.producerConfig(connection, settings,
                    codec.maxBytes() + KafkaCalls.RECORD_OVERHEAD), servers);
            return new KafkaTransport(connection, settings, workerSettings, processor, codec, bus, admin, producer);
        } catch (RuntimeException e) {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            if (admin != null) {
                admin.close();
            }
            bus.close();
            throw e;
        }
    }

    /**
     * @return {@value #NAME}
     */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * @return the bus that publishes to this transport
     */
    @Override
    public KafkaEventBus eventBus() {
        return eventBus;
    }

    /**
     * @return the statistics and dead letters of this transport's consumer group
     */
    @Override
    public KafkaQueueAdmin admin() {
        return admin;
    }

    /**
     * Starts a worker of the application's consumer group, with a consumer of its own and
     * {@code workerSettings.engine().concurrency()} handler slots. The group shares the events topic's partitions
     * among its workers, in this and other processes: more workers than partitions idle.
     *
     * @return the running worker; {@link #close()} stops it too
     * @throws TransportUnavailableException if its consumer cannot be started
     * @throws IllegalStateException         if this transport is closed
     */
    @Override
    public EngineWorker startWorker() {
        return startWorker(Clock.systemUTC());
    }

    /**
     * Starts a worker whose own clock is {@code workerClock}: for tests of a worker whose clock is wrong (its due
     * times are still the broker's, {@link BrokerClock}).
     *
     * @param workerClock the worker's clock
     * @return the running worker
     */
    synchronized EngineWorker startWorker(Clock workerClock) {
        if (closed) {
            throw new IllegalStateException("this Kafka transport is closed: connect a new one to start workers");
        }
        String name = settings.group() + "-" + UUID.randomUUID().toString().substring(0, 8);
        EngineWorker worker = new EngineWorker(new KafkaQueueBackend(connection, settings,
                workerSettings.sessionTimeout(), name, producer, workerClock,
                workerSettings.engine().shutdownDeadline(), workerSettings.recoveryHold()), reader, processor,
                workerSettings.engine(), name);
        worker.start(); // closes the backend if it fails
        workers.add(worker);
        log.info("Worker {} consuming {} as group '{}'", name, settings.eventsTopic(), settings.consumerGroupId());
        return worker;
    }

    /**
     * Stops every worker this transport started (all stop fetching, then each drains within its shutdown deadline,
     * leaving what it did not settle to be read again by the group), then closes the producers and clients.
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
            producer.close(settings.commandTimeout());
        } finally {
            try {
                admin.close();
            } finally {
                eventBus.close();
            }
        }
    }
}
