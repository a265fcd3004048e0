package io.hexbus.kafka;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.api.handling.Tracing;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes events to a bus's events topic on Kafka.
 *
 * <ul>
 *   <li>Every event is encoded and checked by the codec first (type registered, encodable, within the size limit):
 *       a refused event refuses its whole batch before anything is sent.</li>
 *   <li>{@code publish} sends one record with {@code acks=all} and the idempotent producer, and returns once the
 *       cluster acknowledged it; {@code publishAll} of several events is one Kafka transaction, committed or
 *       aborted as a whole (consumers read committed records only).</li>
 *   <li>A record's key is the event's {@link DomainEvent#orderingKey() ordering key} (the event id unless the event
 *       names another), so the events of one key go to one partition, in the order they were sent; its value the
 *       envelope; its headers {@code hexbus-name} and {@code hexbus-id}, so a worker routes it without reading the
 *       JSON.</li>
 *   <li><b>Duplicates:</b> Kafka has no conditional write, so this bus answers {@link PublishOutcome#PUBLISHED}
 *       for an id published before; the duplicate is dropped where it is consumed (docs/kafka-transport.md).</li>
 *   <li>While the cluster cannot be used, a call fails within about twice the command timeout with an
 *       {@link EventPublishingException} naming the bootstrap servers, whose cause is a
 *       {@link TransportTimeoutException} or a {@link TransportUnavailableException}; a write that timed out may
 *       still have happened.</li>
 * </ul>
 *
 * <p>Thread-safe: any number of threads publish at once over one producer; transactions ({@code publishAll} of
 * more than one event) run at once on up to {@link KafkaQueueSettings#publishTransactions()} transactional producers,
 * and wait for one beyond that. {@link #close()} closes them all.
 */
public final class KafkaEventBus implements EventBus, AutoCloseable {

    /** The header holding the event name. */
    public static final String NAME_HEADER = "hexbus-name";
    /** The header holding the event id. */
    public static final String ID_HEADER = "hexbus-id";

    private final Producer<String, String> producer;
    private final TransactionalProducers<Producer<String, String>> transactions;
    private final EventCodec codec;
    private final DeliveryObserver observer;
    private final Tracing tracing;
    private final KafkaQueueSettings settings;
    private final String servers;
    private final Clock clock;
    private volatile boolean closed;

    private KafkaEventBus(Producer<String, String> producer,
                          TransactionalProducers<Producer<String, String>> transactions, EventCodec codec,
                          DeliveryObserver observer, Tracing tracing, KafkaQueueSettings settings, String servers,
                          Clock clock) {
        this.tracing = tracing;
        this.producer = producer;
        this.transactions = transactions;
        this.codec = codec;
        this.observer = observer;
        this.settings = settings;
        this.servers = servers;
        this.clock = clock;
    }

    /**
     * Connects: creates the events topic when it is missing (or checks the one there) and starts the producers.
     *
     * @param connection where the cluster is
     * @param settings   the topics and timeouts
     * @param codec      writes the envelopes; its size limit bounds a record
     * @param observer   told of every event published
     * @return the bus; close it when done
     * @throws TransportUnavailableException if the cluster cannot be used within the command timeout
     * @throws IllegalStateException         if the events topic exists with another shape, naming what differs
     */
    public static KafkaEventBus connect(KafkaConnectionSettings connection, KafkaQueueSettings settings,
                                        EventCodec codec, DeliveryObserver observer) {
        return connect(connection, settings, codec, observer, Tracing.NONE);
    }

    /**
     * Connects as {@link #connect(KafkaConnectionSettings, KafkaQueueSettings, EventCodec, DeliveryObserver)} does,
     * with the tracing that gives each published event its trace context (written in its envelope).
     *
     * @param connection where the cluster is
     * @param settings   the topics and timeouts
     * @param codec      writes the envelopes; its size limit bounds a record
     * @param observer   told of every event published
     * @param tracing    asked for each event's trace context at publish, such as the processor's
     *                   {@link io.hexbus.api.handling.DomainEventsProcessor#tracing()}
     * @return the bus; close it when done
     * @throws TransportUnavailableException if the cluster cannot be used within the command timeout
     * @throws IllegalStateException         if the events topic exists with another shape, naming what differs
     * @since 0.1.0
     */
    public static KafkaEventBus connect(KafkaConnectionSettings connection, KafkaQueueSettings settings,
                                        EventCodec codec, DeliveryObserver observer, Tracing tracing) {
        Objects.requireNonNull(tracing, "tracing");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(observer, "observer");
        String servers = connection.bootstrapServersConfig();
        int maxRecordBytes = codec.maxBytes() + KafkaCalls.RECORD_OVERHEAD;
        try (Admin admin = Admin.create(KafkaCalls.adminConfig(connection, settings))) {
            EventsTopic.ensure(admin, settings, maxRecordBytes, servers);
        }
        Producer<String, String> producer = new KafkaProducer<>(producerConfig(connection, settings, maxRecordBytes,
                null), new StringSerializer(), new StringSerializer());
        TransactionalProducers<Producer<String, String>> transactional = new TransactionalProducers<>(() -> {
            String transactionalId = settings.topicPrefix() + "." + settings.group() + ".publisher." + UUID.randomUUID();
            Producer<String, String> started = new KafkaProducer<>(producerConfig(connection, settings,
                    maxRecordBytes, transactionalId), new StringSerializer(), new StringSerializer());
            try {
                started.initTransactions();
                return started;
            } catch (KafkaException e) {
                started.close(Duration.ZERO);
                throw new TransportUnavailableException("cannot start a transactional producer on Kafka at " + servers
                        + ": " + e.getMessage(), e);
            }
        }, Producer::close, settings.publishTransactions(), servers);
        try {
            transactional.give(transactional.take(settings.commandTimeout())); // the first at once: fails fast
        } catch (TransportUnavailableException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return new KafkaEventBus(producer, transactional, codec, observer, tracing, settings, servers,
                Clock.systemUTC());
    }

    private static Map<String, Object> producerConfig(KafkaConnectionSettings connection, KafkaQueueSettings settings,
                                                      int maxRecordBytes, String transactionalId) {
        Map<String, Object> config = KafkaCalls.producerConfig(connection, settings, maxRecordBytes);
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) settings.commandTimeout().toMillis() * 6);
        }
        return config;
    }

    /** A delayed publish is refused after the checks of an immediate one: this transport cannot delay. */
    @Override
    public void checkPublishable(List<? extends DomainEvent> events) {
        codec.encodeAll(events, clock.instant());
    }

    @Override
    public List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return List.of();
        }
        Instant publishedAt = clock.instant();
        List<EncodedEvent> encoded = codec.encodeAll(events, publishedAt, tracing);
        if (closed) {
            throw refused(encoded.size(), new TransportUnavailableException("its Kafka transport is closed", null));
        }
        try {
            if (encoded.size() == 1) {
                await(send(producer, record(encoded.get(0))));
            } else {
                sendInOneTransaction(encoded);
            }
        } catch (TransportUnavailableException e) {
            throw refused(encoded.size(), e);
        }
        List<PublishOutcome> outcomes = new ArrayList<>(encoded.size());
        for (EncodedEvent e : encoded) {
            observer.published(e.name(), e.eventId(), false);
            outcomes.add(PublishOutcome.PUBLISHED);
        }
        return List.copyOf(outcomes);
    }

    private void sendInOneTransaction(List<EncodedEvent> encoded) {
        Producer<String, String> transaction;
        try {
            transaction = transactions.take(settings.commandTimeout());
        } catch (IllegalStateException e) {
            throw new TransportUnavailableException("its Kafka transport is closed", e);
        }
        boolean reusable = true;
        try {
            transaction.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>(encoded.size());
            for (EncodedEvent e : encoded) {
                sent.add(send(transaction, record(e)));
            }
            transaction.commitTransaction(); // flushes every send first; fails if any failed
            for (Future<RecordMetadata> future : sent) {
                await(future);
            }
        } catch (KafkaException | IllegalStateException e) { // the second: a producer closed meanwhile, or ours
            reusable = abortQuietly(transaction);
            throw e instanceof TransportUnavailableException unavailable ? unavailable : translate(e);
        } finally {
            if (reusable) {
                transactions.give(transaction);
            } else {
                transactions.discard(transaction);
            }
        }
    }

    /** @return whether the producer may run another transaction */
    private static boolean abortQuietly(Producer<String, String> transaction) {
        try {
            transaction.abortTransaction();
            return true;
        } catch (KafkaException | IllegalStateException e) {
            // Nothing was committed: the transaction times out on the broker and is aborted there.
            return false;
        }
    }

    private Future<RecordMetadata> send(Producer<String, String> to, ProducerRecord<String, String> record) {
        try {
            return to.send(record);
        } catch (KafkaException | IllegalStateException e) { // the second: closed since the check in publishAll
            throw closed ? new TransportUnavailableException("its Kafka transport is closed", e) : translate(e);
        }
    }

    private ProducerRecord<String, String> record(EncodedEvent e) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(NAME_HEADER, e.name().getBytes(StandardCharsets.UTF_8));
        headers.add(ID_HEADER, e.eventId().toString().getBytes(StandardCharsets.UTF_8));
        // Keyed by the ordering key: Kafka's partitioner sends one key's records to one partition, in send order.
        return new ProducerRecord<>(settings.eventsTopic(), null, e.orderingKey(), e.json(), headers);
    }

    /** Waits for a send, bounded: the producer's own timeouts end it first unless the cluster hangs. */
    private RecordMetadata await(Future<RecordMetadata> sent) {
        long bound = settings.commandTimeout().multipliedBy(3).toMillis();
        try {
            return sent.get(bound, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TransportTimeoutException("Kafka at " + servers + " did not acknowledge within " + bound + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        }
    }

    private TransportUnavailableException translate(Throwable e) {
        if (closed) {
            return new TransportUnavailableException("its Kafka transport is closed", e);
        }
        return KafkaCalls.translate(e, "publish", servers);
    }

    private EventPublishingException refused(int count, TransportUnavailableException cause) {
        return new EventPublishingException("could not publish " + count + " event(s) to Kafka at " + servers + ": "
                + cause.getMessage(), cause);
    }

    /** Sends what is buffered, then closes the producers, each within the command timeout. Idempotent. */
    @Override
    public void close() {
        closed = true;
        producer.close(settings.commandTimeout());
        transactions.close(settings.commandTimeout());
    }
}
