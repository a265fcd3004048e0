package io.hexbus.kafka;

import io.hexbus.kafka.testing.CreatedTopics;
import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressUpdate;
import io.hexbus.kafka.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry tier topics of a group on a real broker: their shape and refusals, and their records. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RetryTopicsTest {

    private static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private final String servers = TestKafka.shared();
    private final String prefix = "hexbus-test." + UUID.randomUUID();
    private final KafkaQueueSettings settings = KafkaQueueSettings.defaults("retries").withTopicPrefix(prefix)
            .withPartitions(3).withReplication(1, 1).withCommandTimeout(Duration.ofSeconds(5))
            .withRetention(Duration.ofDays(2));
    private final Admin admin = Admin.create(Map.of("bootstrap.servers", servers));
    private final Producer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer());
    private final RetryTopics topics = new RetryTopics(producer, settings, servers);

    @AfterEach
    void cleanUp() throws Exception {
        producer.close();
        try (admin) {
            List<String> created = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix + ".")).toList();
            admin.deleteTopics(created).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theTiersAreCreatedWithTheEventsPartitionsLogAppendTimeDeletionAndTheirRetention() throws Exception {
        EventsTopic.ensure(admin, settings.withPartitions(5), MAX_MESSAGE_BYTES, servers);
        visible(settings.eventsTopic());

        assertEquals(5, RetryTopics.ensure(admin, settings, MAX_MESSAGE_BYTES, servers), "the events topic's count");

        for (RetryTiers.Tier tier : RetryTiers.Tier.values()) {
            String topic = RetryTopics.topic(settings, tier);
            visible(topic);
            assertEquals(5, CreatedTopics.description(admin, topic).partitions().size());
            Config config = config(topic);
            assertEquals("LogAppendTime", config.get("message.timestamp.type").value(), topic);
            assertEquals("delete", config.get("cleanup.policy").value(), topic);
            assertEquals(Long.toString(Duration.ofDays(2).toMillis() + tier.waitMillis()),
                    config.get("retention.ms").value(), topic);
            assertEquals(Integer.toString(MAX_MESSAGE_BYTES), config.get("max.message.bytes").value(), topic);
        }
        assertEquals(5, RetryTopics.ensure(admin, settings, MAX_MESSAGE_BYTES, servers), "checked when present");
    }

    @Test
    void aTierWithCreateTimeIsRefusedNamingItAndTheSetting() throws Exception {
        EventsTopic.ensure(admin, settings, MAX_MESSAGE_BYTES, servers); // as connecting does, before the tiers
        String topic = RetryTopics.topic(settings, RetryTiers.Tier.M4);
        create(topic, 3, Map.of("message.timestamp.type", "CreateTime"));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RetryTopics.ensure(admin, settings, MAX_MESSAGE_BYTES, servers));

        assertTrue(refused.getMessage().contains("'" + topic + "'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("message.timestamp.type=CreateTime"), refused.getMessage());
    }

    @Test
    void aTierWithAnotherPartitionCountIsRefusedNamingBothTopics() throws Exception {
        EventsTopic.ensure(admin, settings, MAX_MESSAGE_BYTES, servers);
        visible(settings.eventsTopic());
        String topic = RetryTopics.topic(settings, RetryTiers.Tier.S16);
        create(topic, 2, Map.of("message.timestamp.type", "LogAppendTime"));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RetryTopics.ensure(admin, settings, MAX_MESSAGE_BYTES, servers));

        assertTrue(refused.getMessage().contains("'" + topic + "' at " + servers + " has 2 partitions"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("'" + settings.eventsTopic() + "' has 3"), refused.getMessage());
    }

    @Test
    void aCompactedTierOrOneKeepingRecordsTooBrieflyIsRefusedNamingIt() throws Exception {
        EventsTopic.ensure(admin, settings, MAX_MESSAGE_BYTES, servers); // as connecting does, before the tiers
        String compacted = RetryTopics.topic(settings, RetryTiers.Tier.S1);
        create(compacted, 3, Map.of("message.timestamp.type", "LogAppendTime", "cleanup.policy", "compact"));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RetryTopics.ensure(admin, settings, MAX_MESSAGE_BYTES, servers));
        assertTrue(refused.getMessage().contains("'" + compacted + "'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("cleanup.policy=compact"), refused.getMessage());

        KafkaQueueSettings other = settings.withGroup("brief"); // the same events topic
        String brief = RetryTopics.topic(other, RetryTiers.Tier.H1);
        create(brief, 3, Map.of("message.timestamp.type", "LogAppendTime", "retention.ms", "3600000"));
        refused = assertThrows(IllegalStateException.class,
                () -> RetryTopics.ensure(admin, other, MAX_MESSAGE_BYTES, servers));
        assertTrue(refused.getMessage().contains("'" + brief + "'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("retention.ms=3600000"), refused.getMessage());
    }

    @Test
    void theRetryPartitionIsTheOneTheProducerPicksForTheEventsKey() throws Exception {
        EventsTopic.ensure(admin, settings, MAX_MESSAGE_BYTES, servers);
        Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 24; i++) {
            String key = i % 2 == 0 ? UUID.randomUUID().toString() : "invoice-" + i + "-ü";
            RecordMetadata sent = producer.send(new ProducerRecord<>(settings.eventsTopic(), key, "{}"))
                    .get(30, TimeUnit.SECONDS);

            assertEquals(sent.partition(), RetryTopics.partitionFor(key, 3), key);
            seen.add(sent.partition());
        }
        assertEquals(Set.of(0, 1, 2), seen, "the keys spread over every partition, so the check means something");
    }

    @Test
    void aRetryRecordRoundTripsThroughItsTierOnItsEventsPartition() throws Exception {
        RetryTopics.ensure(admin, settings, MAX_MESSAGE_BYTES, servers);
        Progress progress = new Progress(Set.of("ledger"), Set.of(), Map.of("mails", 1, "invoices", 2),
                Map.of("mails", 1_000L), 1, "boom; \"quoted\", ü");
        ProgressUpdate update = new ProgressUpdate(List.of(), Map.of("mails", 2), Map.of("mails", 4_000L), Set.of(),
                "failed again");
        UUID id = UUID.randomUUID();
        String key = "invoice-42";
        int partition = RetryTopics.partitionFor(key, 3);
        RetryTopics.Retry written = new RetryTopics.Retry(key, partition, id, "parcel.shipped",
                "{\"eventId\":\"" + id + "\"}", progress, Optional.of(update), 1_234_567L,
                Optional.of(List.of("mails", "invoices")));

        topics.write(RetryTiers.Tier.S4, written);
        ConsumerRecord<String, String> record = readOne(RetryTopics.topic(settings, RetryTiers.Tier.S4));
        RetryTopics.Read read = topics.decode(record);

        assertEquals(TimestampType.LOG_APPEND_TIME, record.timestampType());
        assertEquals(partition, record.partition());
        assertEquals(RetryTiers.Tier.S4, read.tier());
        assertEquals(record.timestamp(), read.appendMillis());
        assertEquals(new RetryTopics.Retry(key, partition, id, "parcel.shipped", written.envelope(),
                progress.after(update, record.timestamp()), Optional.empty(), 1_234_567L,
                Optional.of(List.of("mails", "invoices"))), read.retry());
        assertEquals(id.toString(), header(record, "hexbus-id"));
        assertEquals("parcel.shipped", header(record, "hexbus-name"));
        assertEquals("1234567", header(record, "hexbus-due-at"));
        assertEquals("mails\ninvoices", header(record, "hexbus-only"));
    }

    @Test
    void aRetryOfEverySubscriptionHasNoOnlyHeaderAndAHopNoUpdate() {
        RetryTopics.Retry hop = retry(Optional.empty());

        ProducerRecord<String, String> record = topics.record(RetryTiers.Tier.H16, hop);

        assertEquals(RetryTopics.topic(settings, RetryTiers.Tier.H16), record.topic());
        assertEquals(null, record.headers().lastHeader("hexbus-only"));
        assertEquals(null, record.headers().lastHeader(ProgressHeaders.UPDATE));
        assertEquals(hop, topics.decode(consumed(record, 5L)).retry());
    }

    @Test
    void subscriptionsThatTheOnlyHeaderCannotCarryAreRefused() {
        List<List<String>> refusedLists = List.of(List.of("two\nlines"), List.of(""), List.of(), List.of("a", "a"));
        for (List<String> only : refusedLists) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> retry(Optional.of(only)), only.toString());
            assertTrue(refused.getMessage().contains("subscription"), refused.getMessage());
        }
    }

    @Test
    void aMalformedHeaderIsRefusedNamingIt() {
        ProducerRecord<String, String> good = topics.record(RetryTiers.Tier.S1,
                retry(Optional.of(List.of("mails"))));
        assertEquals(Optional.of(List.of("mails")), topics.decode(consumed(good, 7L)).retry().only());

        refused(good, h -> h.remove("hexbus-id"), "hexbus-id");
        refused(good, h -> replace(h, "hexbus-id", "not-a-uuid"), "hexbus-id");
        refused(good, h -> h.remove("hexbus-name"), "hexbus-name");
        refused(good, h -> h.add("hexbus-name", bytes("parcel.shipped")), "hexbus-name");
        refused(good, h -> replace(h, "hexbus-name", new byte[] {(byte) 0xC3}), "hexbus-name");
        refused(good, h -> h.remove("hexbus-due-at"), "hexbus-due-at");
        refused(good, h -> replace(h, "hexbus-due-at", bytes("soon")), "hexbus-due-at");
        refused(good, h -> h.remove(ProgressHeaders.PROGRESS), ProgressHeaders.PROGRESS);
        refused(good, h -> replace(h, ProgressHeaders.PROGRESS, bytes("2;0;;;;;;")), ProgressHeaders.PROGRESS);
        refused(good, h -> h.add(ProgressHeaders.UPDATE, bytes("1;x")), ProgressHeaders.UPDATE);
        refused(good, h -> replace(h, "hexbus-only", bytes("mails\n")), "hexbus-only");
        refused(good, h -> replace(h, "hexbus-only", bytes("")), "hexbus-only");
    }

    @Test
    void aRecordOfAnotherTopicOrWithoutKeyOrValueIsRefused() {
        ProducerRecord<String, String> good = topics.record(RetryTiers.Tier.S1, retry(Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> topics.decode(new ConsumerRecord<>(settings.eventsTopic(),
                0, 0L, good.key(), good.value())));
        assertThrows(IllegalArgumentException.class, () -> topics.decode(new ConsumerRecord<>(good.topic(), 0, 0L,
                null, good.value())));
        assertThrows(IllegalArgumentException.class, () -> topics.decode(new ConsumerRecord<>(good.topic(), 0, 0L,
                good.key(), null)));
    }

    private RetryTopics.Retry retry(Optional<List<String>> only) {
        UUID id = UUID.randomUUID();
        return new RetryTopics.Retry(id.toString(), 1, id, "parcel.shipped", "{}", Progress.NONE, Optional.empty(),
                42L, only);
    }

    private void refused(ProducerRecord<String, String> good, Consumer<RecordHeaders> change, String header) {
        RecordHeaders headers = new RecordHeaders(good.headers().toArray());
        change.accept(headers);
        ProducerRecord<String, String> bad = new ProducerRecord<>(good.topic(), good.partition(), good.key(),
                good.value(), headers);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> topics.decode(consumed(bad, 7L)), header);
        assertTrue(refused.getMessage().contains(header), refused.getMessage());
    }

    private static void replace(RecordHeaders headers, String name, byte[] value) {
        headers.remove(name);
        headers.add(name, value);
    }

    private static void replace(RecordHeaders headers, String name, String value) {
        replace(headers, name, bytes(value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The record as a consumer would read it, appended at {@code appendMillis}. */
    private static ConsumerRecord<String, String> consumed(ProducerRecord<String, String> record, long appendMillis) {
        return new ConsumerRecord<>(record.topic(), record.partition(), 0L, appendMillis,
                TimestampType.LOG_APPEND_TIME, 0, 0, record.key(), record.value(), record.headers(), Optional.empty());
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private void create(String topic, int partitions, Map<String, String> config) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(config))).all()
                .get(30, TimeUnit.SECONDS);
        visible(topic);
    }

    /** Waits until the broker's metadata has a topic just created: it may lag behind the controller's. */
    private void visible(String topic) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get().containsKey(topic));
    }

    private Config config(String topic) {
        return CreatedTopics.config(admin, topic);
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
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.isEmpty() && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertEquals(1, records.size(), "one record in " + topic);
            return records.get(0);
        }
    }
}
