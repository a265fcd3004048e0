package io.hexbus.kafka;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.Progress;
import io.hexbus.kafka.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link KafkaQueueAdmin} on a real broker: statistics, and dead letters listed, retried, removed and cleaned. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KafkaQueueAdminTest {

    private static final Duration SESSION = Duration.ofSeconds(45);

    private final String servers = TestKafka.shared();
    private final KafkaConnectionSettings connection = KafkaConnectionSettings.parse(servers);
    private final String prefix = "hexbus-test." + UUID.randomUUID();
    private final KafkaQueueSettings settings = KafkaQueueSettings.defaults("admin-" + UUID.randomUUID())
            .withTopicPrefix(prefix).withPartitions(3).withReplication(1, 1)
            .withCommandTimeout(Duration.ofSeconds(5));
    private final EventCodec codec = EventCodec.of(new EventTypeRegistry().register(ParcelShipped.class));
    private final Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    private final Producer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer());
    private final DeadLetterTopic deadLetterWriter = new DeadLetterTopic(producer, settings, servers);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        producer.close();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix + ".")).toList();
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theStatisticsOfAnEmptyQueueAreZerosWithTheGroup() {
        KafkaQueueAdmin admin = connect();

        assertEquals(new QueueStats(settings.group(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), admin.stats());
    }

    @Test
    void aDeadLetterIsListedThenRetriedIntoTheOneSecondTierForItsFailedSubscriptionsOnlyThenGone() throws Exception {
        KafkaQueueAdmin admin = connect();
        DeadLetter deadLetter = write(deadLetter(now, "invoices", "mails"));
        DeadLetter other = write(deadLetter(now.minusSeconds(5), "ledger"));
        assertEquals(List.of(deadLetter, other), admin.deadLetters(0, 10).items());
        assertEquals(Optional.of(deadLetter), admin.deadLetter(deadLetter.eventId()));
        assertEquals(2, admin.stats().deadLettered());
        int eventPartition = producer.send(new ProducerRecord<>(settings.eventsTopic(),
                deadLetter.eventId().toString(), deadLetter.envelope())).get(30, TimeUnit.SECONDS).partition();

        long before = System.currentTimeMillis();
        assertTrue(admin.retry(deadLetter.eventId()));
        long after = System.currentTimeMillis();

        String tier = RetryTopics.topic(settings, RetryTiers.Tier.S1);
        ConsumerRecord<String, String> record = readOne(tier);
        RetryTopics.Retry retry = new RetryTopics(producer, settings, servers).decode(record).retry();
        assertEquals(eventPartition, record.partition(), "the partition the producer picked for the event");
        assertEquals(deadLetter.eventId().toString(), record.key());
        assertEquals(deadLetter.eventId(), retry.eventId());
        assertEquals(deadLetter.eventName(), retry.eventName());
        assertEquals(deadLetter.envelope(), retry.envelope());
        assertEquals(Optional.of(List.of("invoices", "mails")), retry.only(), "the failed subscriptions only");
        assertEquals(Progress.NONE, retry.progress(), "fresh progress");
        assertTrue(retry.dueAtMillis() >= before + 1_000 && retry.dueAtMillis() <= after + 1_000,
                "due a smallest tier's wait after the retry: " + retry.dueAtMillis());
        assertEquals(List.of(other), admin.deadLetters(0, 10).items());
        assertEquals(Optional.empty(), admin.deadLetter(deadLetter.eventId()));
        assertFalse(admin.retry(deadLetter.eventId()), "no longer a dead letter");
        QueueStats stats = admin.stats();
        assertEquals(1, stats.deadLettered());
        assertEquals(1, stats.retryScheduled(), "the retry waits in its tier");
        assertEquals(1, stats.waiting(), "the event written to the events topic");
    }

    @Test
    void retryAllRetriesEachDeadLetterIntoTheOneSecondTier() {
        KafkaQueueAdmin admin = connect();
        write(deadLetter(now.minusSeconds(2), "invoices"));
        write(deadLetter(now.minusSeconds(1), "mails"));

        assertEquals(2, admin.retryAll());

        assertEquals(0, admin.deadLetters(0, 10).total());
        assertEquals(2, admin.stats().retryScheduled());
    }

    @Test
    void aDeadLetterWithoutFailedSubscriptionsIsNotRetriedAndStays() {
        KafkaQueueAdmin admin = connect();
        DeadLetter none = write(deadLetter(now));

        assertFalse(admin.retry(none.eventId()));

        assertEquals(Optional.of(none), admin.deadLetter(none.eventId()));
        assertEquals(0, admin.stats().retryScheduled());
    }

    @Test
    void removeAndCleanDeleteAsQueueAdminSays() {
        KafkaQueueAdmin admin = connect();
        DeadLetter removed = write(deadLetter(now.minusSeconds(10), "invoices"));
        write(deadLetter(now.minus(Duration.ofDays(2)), "invoices"));
        DeadLetter recent = write(deadLetter(now.minus(Duration.ofHours(23)), "invoices"));

        assertTrue(admin.remove(removed.eventId()));
        assertFalse(admin.remove(removed.eventId()), "already removed");
        assertFalse(admin.remove(UUID.randomUUID()), "never dead-lettered");
        assertEquals(1, admin.cleanDeadLetters(Duration.ofDays(1)));
        assertEquals(0, admin.cleanDeadLetters(Duration.ofDays(1)), "nothing older is left");

        assertEquals(new DeadLetterPage(List.of(recent), 0, 1), admin.deadLetters(0, 10));
    }

    @Test
    void argumentsAreRefusedAsQueueAdminSays() {
        KafkaQueueAdmin admin = connect();

        assertThrows(IllegalArgumentException.class, () -> admin.deadLetters(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> admin.deadLetters(0, 0));
        assertThrows(IllegalArgumentException.class, () -> admin.deadLetters(0, DeadLetterPage.MAX_LIMIT + 1));
        assertEquals(0, admin.deadLetters(0, DeadLetterPage.MAX_LIMIT).total(), "the largest page is allowed");
        assertThrows(IllegalArgumentException.class, () -> admin.cleanDeadLetters(null));
        assertThrows(IllegalArgumentException.class, () -> admin.cleanDeadLetters(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> admin.cleanDeadLetters(Duration.ofSeconds(-1)));
        assertEquals(0, admin.cleanDeadLetters(Duration.ofSeconds(Long.MAX_VALUE)), "a huge age is allowed");
        assertThrows(IllegalArgumentException.class,
                () -> KafkaQueueAdmin.connect(connection, settings, codec, Duration.ZERO));
    }

    @Test
    void aClosedAdminFailsAsUnavailable() {
        KafkaQueueAdmin admin = connect();
        admin.close();
        admin.close(); // idempotent

        assertThrows(TransportUnavailableException.class, admin::stats);
        assertThrows(TransportUnavailableException.class, () -> admin.deadLetters(0, 10));
        assertThrows(TransportUnavailableException.class, () -> admin.retry(UUID.randomUUID()));
    }

    @Test
    void aRetryTierWithCreateTimeRefusesTheConnectionNamingIt() throws Exception {
        String tier = RetryTopics.topic(settings, RetryTiers.Tier.H4);
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", servers))) {
            kafka.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(tier, 3, (short) 1)
                    .configs(Map.of("message.timestamp.type", "CreateTime")))).all().get(30, TimeUnit.SECONDS);
        }

        IllegalStateException refused = assertThrows(IllegalStateException.class, this::connect);

        assertTrue(refused.getMessage().contains("'" + tier + "'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("message.timestamp.type=CreateTime"), refused.getMessage());
    }

    private KafkaQueueAdmin connect() {
        KafkaQueueAdmin admin = KafkaQueueAdmin.connect(connection, settings, codec, SESSION);
        toClose.add(admin);
        return admin;
    }

    private DeadLetter deadLetter(Instant lastFailedAt, String... subscriptions) {
        UUID id = UUID.randomUUID();
        return new DeadLetter(id, "parcel.shipped", List.of(subscriptions), 3,
                "java.lang.IllegalStateException: boom", lastFailedAt.minusSeconds(30), lastFailedAt,
                "{\"eventId\":\"" + id + "\",\"payload\":{}}");
    }

    private DeadLetter write(DeadLetter deadLetter) {
        deadLetterWriter.write(deadLetter);
        return deadLetter;
    }

    private ConsumerRecord<String, String> readOne(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertEquals(1, records.size(), "one record in " + topic);
            return records.get(0);
        }
    }
}
