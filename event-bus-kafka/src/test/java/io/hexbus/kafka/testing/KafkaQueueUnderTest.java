package io.hexbus.kafka.testing;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.conformance.QueuedTransportUnderTest;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.engine.worker.EngineWorker;
import io.hexbus.kafka.KafkaConnectionSettings;
import io.hexbus.kafka.KafkaEventBus;
import io.hexbus.kafka.KafkaQueueSettings;
import io.hexbus.kafka.KafkaTransport;
import io.hexbus.kafka.KafkaWorkerSettings;
import io.hexbus.codec.EventCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A queue of the Kafka transport for {@link io.hexbus.api.conformance.QueuedTransportContract}: a topic prefix of its
 * own on the shared test Kafka ({@link TestKafka}), 2 partitions, 1 replica, every transport it connects on that
 * prefix and group; its topics and consumer group deleted when it closes. A crash is a close past a short shutdown
 * deadline: the worker interrupts its handlers and leaves their records uncommitted, for the group to hand to another
 * worker. Raw messages are records written with a plain producer, as a foreign producer would.
 */
public final class KafkaQueueUnderTest implements QueuedTransportUnderTest {

    /** The session timeout of the test workers' group: the broker's smallest by default. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

    private final KafkaConnectionSettings connection = KafkaConnectionSettings.parse(TestKafka.shared());
    private final KafkaQueueSettings base = KafkaQueueSettings.defaults("contract")
            .withTopicPrefix("hexbus-test." + UUID.randomUUID()).withPartitions(2).withReplication(1, 1)
            .withCommandTimeout(Duration.ofSeconds(5));
    private final List<KafkaTransport> transports = new CopyOnWriteArrayList<>();
    private final List<EngineWorker> workers = new CopyOnWriteArrayList<>();
    // Reads the statistics whatever the test closed: a transport of its own, with no worker.
    private final KafkaTransport observer = connectObserver();

    private KafkaTransport connectObserver() {
        DomainEventsProcessor nothing = new DomainEventsProcessor(new EventTypeRegistry());
        return KafkaTransport.connect(connection, base, workerSettings(QueueTestSettings.DEFAULTS), nothing,
                EventCodec.of(nothing.eventTypes()));
    }

    /** @return the settings of this queue's topics */
    public KafkaQueueSettings settings() {
        return base;
    }

    @Override
    public QueuedTransport connect(DomainEventsProcessor processor, QueueTestSettings settings) {
        KafkaTransport transport = KafkaTransport.connect(connection, base, workerSettings(settings), processor,
                EventCodec.of(processor.eventTypes()));
        transports.add(transport);
        return transport;
    }

    private static KafkaWorkerSettings workerSettings(QueueTestSettings settings) {
        EngineSettings engine = EngineSettings.defaults().withVisibilityTimeout(settings.leaseTimeout())
                .withShutdownDeadline(settings.shutdownDeadline()).withConcurrency(settings.concurrency())
                .withBlockTimeout(Duration.ofMillis(200));
        return new KafkaWorkerSettings(engine, SESSION_TIMEOUT);
    }

    @Override
    public QueueWorker startWorker(QueuedTransport transport) {
        EngineWorker worker = ((KafkaTransport) transport).startWorker();
        workers.add(worker);
        return worker;
    }

    @Override
    public void crash(QueuedTransport transport) {
        transport.close();
    }

    @Override
    public void injectRaw(UUID eventId, String eventName, String body) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServersConfig()),
                new StringSerializer(), new StringSerializer())) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(KafkaEventBus.NAME_HEADER, eventName.getBytes(StandardCharsets.UTF_8));
            headers.add(KafkaEventBus.ID_HEADER, eventId.toString().getBytes(StandardCharsets.UTF_8));
            // Keyed as a hexbus bus keys an event of the default ordering key: the worker reads the id from the header.
            producer.send(new ProducerRecord<>(base.eventsTopic(), null, eventId.toString(), body, headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not write a raw record", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void awaitIdle(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            QueueStats stats = observer.admin().stats();
            return stats.waiting() == 0 && stats.active() == 0 && stats.reserved() == 0 && stats.retryScheduled() == 0
                    && workers.stream().allMatch(w -> w.inFlight() == 0);
        });
    }

    @Override
    public void close() {
        transports.forEach(KafkaTransport::close);
        observer.close();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                connection.bootstrapServersConfig()))) {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(base.topicPrefix() + ".")).toList();
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            try {
                admin.deleteConsumerGroups(List.of(base.consumerGroupId())).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // a queue no worker consumed
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not delete the topics under " + base.topicPrefix(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
