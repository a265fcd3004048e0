package io.hexbus.kafka;

import io.hexbus.kafka.testing.CreatedTopics;
import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelScanned;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.conformance.ContractEvents.UnregisteredEvent;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.UnknownEventTypeException;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EventCodec;
import io.hexbus.kafka.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kafka bus publishes to a real broker: records, transactions, refusals, the topic's shape, an absent cluster. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KafkaEventBusTest {

    private final String servers = TestKafka.shared();
    private final KafkaQueueSettings settings = KafkaQueueSettings.defaults("billing")
            .withTopicPrefix("hexbus-test." + UUID.randomUUID()).withPartitions(3).withReplication(1, 1)
            .withCommandTimeout(Duration.ofSeconds(5));
    private final EventCodec codec = EventCodec.of(new EventTypeRegistry().register(ParcelShipped.class)
            .register(ParcelScanned.class));
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final DeliveryObserver observer = new DeliveryObserver() {
        @Override
        public void published(String eventName, UUID eventId, boolean duplicate) {
            published.add(eventName + " " + eventId + (duplicate ? " duplicate" : ""));
        }
    };
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(settings.eventsTopic())).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            // a test that created no topic
        }
    }

    @Test
    void anEventIsOneRecordKeyedByItsIdByDefaultWithItsNameAndIdInHeadersAndItsEnvelopeAsValue() {
        KafkaEventBus bus = connect(settings);
        ParcelShipped event = ContractEvents.shipped(1);

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(event));

        List<ConsumerRecord<String, String>> records = readAll(1);
        ConsumerRecord<String, String> record = records.get(0);
        assertEquals(event.eventId().toString(), record.key());
        assertEquals(ParcelShipped.class.getAnnotation(io.hexbus.api.event.EventName.class).value(),
                header(record, KafkaEventBus.NAME_HEADER));
        assertEquals(event.eventId().toString(), header(record, KafkaEventBus.ID_HEADER));
        assertEquals(event, codec.decode(record.value()));
        assertEquals(1, published.size(), "the observer heard of it");
    }

    @Test
    void anEventIsKeyedByItsOrderingKeySoTheEventsOfOneKeyAreOnOnePartitionInPublishOrder() {
        KafkaEventBus bus = connect(settings);
        List<ParcelScanned> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(ContractEvents.scanned("parcel-" + (i % 3), i));
        }

        events.subList(0, 6).forEach(bus::publish);
        bus.publishAll(events.subList(6, 12));

        List<ConsumerRecord<String, String>> records = readAll(12);
        for (ConsumerRecord<String, String> record : records) {
            ParcelScanned event = (ParcelScanned) codec.decode(record.value());
            assertEquals(event.parcelId(), record.key());
            assertEquals(event.eventId().toString(), header(record, KafkaEventBus.ID_HEADER), "the id is a header");
        }
        for (int p = 0; p < 3; p++) {
            String key = "parcel-" + p;
            List<ConsumerRecord<String, String>> ofKey = records.stream().filter(r -> r.key().equals(key)).toList();
            assertEquals(1, ofKey.stream().map(ConsumerRecord::partition).distinct().count(), key + " on one partition");
            assertEquals(events.stream().filter(e -> e.parcelId().equals(key)).map(ParcelScanned::sequence).toList(),
                    ofKey.stream().sorted(Comparator.comparingLong(ConsumerRecord::offset))
                            .map(r -> ((ParcelScanned) codec.decode(r.value())).sequence()).toList(),
                    key + " in publish order");
        }
    }

    @Test
    void publishAllIsOneTransactionReadWholeByACommittedReader() {
        KafkaEventBus bus = connect(settings);
        List<ParcelShipped> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(ContractEvents.shipped(i));
        }

        List<PublishOutcome> outcomes = bus.publishAll(events);

        assertEquals(100, outcomes.size());
        assertTrue(outcomes.stream().allMatch(PublishOutcome.PUBLISHED::equals));
        List<ConsumerRecord<String, String>> records = readAll(100);
        assertEquals(events.stream().map(e -> e.eventId().toString()).sorted().toList(),
                records.stream().map(ConsumerRecord::key).sorted().toList());
    }

    @Test
    void publishAllFromManyThreadsAtOnceRunsTheirTransactionsSideBySideAndLosesNone() throws Exception {
        KafkaEventBus bus = connect(settings.withPublishTransactions(3));
        ExecutorService threads = Executors.newFixedThreadPool(6);
        List<Future<List<PublishOutcome>>> calls = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            for (int call = 0; call < 30; call++) {
                List<ParcelShipped> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    batch.add(ContractEvents.shipped(call * 10 + i));
                }
                batch.forEach(e -> ids.add(e.eventId().toString()));
                calls.add(threads.submit(() -> bus.publishAll(batch)));
            }
            for (Future<List<PublishOutcome>> call : calls) {
                assertEquals(10, call.get(60, TimeUnit.SECONDS).size());
            }
        } finally {
            threads.shutdownNow();
        }

        assertEquals(ids.stream().sorted().toList(), readAll(300).stream().map(ConsumerRecord::key).sorted().toList());
    }

    @Test
    void aRefusedEventRefusesItsWholeBatchBeforeAnythingIsSent() {
        KafkaEventBus bus = connect(settings);
        List<DomainEvent> unregisteredLast = List.of(ContractEvents.shipped(1),
                new UnregisteredEvent(UUID.randomUUID(), Instant.now()));
        List<DomainEvent> tooLargeFirst = List.of(ContractEvents.shippedWithNote(2, "x".repeat(codec.maxBytes())),
                ContractEvents.shipped(3));

        assertThrows(UnknownEventTypeException.class, () -> bus.publishAll(unregisteredLast));
        assertThrows(EventTooLargeException.class, () -> bus.publishAll(tooLargeFirst));

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(ContractEvents.shipped(4)));
        assertEquals(1, readAll(1).size(), "only the event published after the refusals is on the topic");
        assertEquals(1, published.size());
    }

    @Test
    void theEventsTopicIsCreatedWithTheSettingsShape() throws Exception {
        connect(settings);

        try (Admin admin = admin()) {
            assertEquals(3, CreatedTopics.description(admin, settings.eventsTopic()).partitions().size());
            var config = CreatedTopics.config(admin, settings.eventsTopic());
            assertEquals("delete", config.get("cleanup.policy").value());
            assertEquals(Long.toString(Duration.ofDays(7).toMillis()), config.get("retention.ms").value());
        }
    }

    @Test
    void anExistingTopicWithAnotherPartitionCountIsRefusedNamingIt() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(settings.eventsTopic(), 5, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        }

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> connect(settings));

        assertTrue(refused.getMessage().contains("'" + settings.eventsTopic() + "'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("has 5 partitions, but the transport is set to 3"),
                refused.getMessage());
    }

    @Test
    void aClusterThatCannotBeReachedFailsWithinTheTimeoutNamingTheServers() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KafkaConnectionSettings nowhere = KafkaConnectionSettings.parse("127.0.0.1:" + closedPort);
        KafkaQueueSettings quick = settings.withCommandTimeout(Duration.ofSeconds(2));

        TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
                () -> KafkaEventBus.connect(nowhere, quick, codec, observer));

        assertTrue(refused.getMessage().contains("127.0.0.1:" + closedPort), refused.getMessage());
    }

    @Test
    void aClosedBusRefusesAsUnavailable() {
        KafkaEventBus bus = connect(settings);
        bus.close();

        EventPublishingException refused = assertThrows(EventPublishingException.class,
                () -> bus.publish(ContractEvents.shipped(1)));

        assertInstanceOf(TransportUnavailableException.class, refused.getCause());
        assertTrue(refused.getMessage().contains(servers), refused.getMessage());
    }

    private KafkaEventBus connect(KafkaQueueSettings with) {
        KafkaEventBus bus = KafkaEventBus.connect(KafkaConnectionSettings.parse(servers), with, codec, observer);
        toClose.add(bus);
        return bus;
    }

    private Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", servers));
    }

    private List<ConsumerRecord<String, String>> readAll(int expected) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(settings.eventsTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            // The expected records, then to the end offsets: a transaction's commit markers reach its partitions a
            // moment after commitTransaction returned, so a committed reader may see its records a moment later.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return records.size() >= expected;
            });
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            assertEquals(expected, records.size(), "records on " + settings.eventsTopic());
            return records;
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
