package io.hexbus.kafka;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.engine.stats.SubscriptionCounts;
import io.hexbus.kafka.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A group's statistics on a real broker: the lag of a group ({@link ConsumerLag}), the workers' reports in the stats
 * topic ({@link StatsTopic}, {@link StatsReader}), and the {@link QueueStats} built of them ({@link KafkaQueueStats}).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KafkaQueueStatsTest {

    private static final Duration STALENESS = Duration.ofMinutes(10);

    private final String servers = TestKafka.shared();
    private final KafkaConnectionSettings connection = KafkaConnectionSettings.parse(servers);
    private final String prefix = "hexbus-test." + UUID.randomUUID();
    private final KafkaQueueSettings settings = KafkaQueueSettings.defaults("stats-" + UUID.randomUUID())
            .withTopicPrefix(prefix).withPartitions(3).withReplication(1, 1)
            .withCommandTimeout(Duration.ofSeconds(5));
    private final long now = System.currentTimeMillis();
    private final Admin admin = Admin.create(Map.of("bootstrap.servers", servers));
    private final Producer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.ACKS_CONFIG, "all"),
            new StringSerializer(), new StringSerializer());
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        producer.close();
        try (admin) {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix + ".")).toList();
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            try {
                admin.deleteConsumerGroups(List.of(settings.consumerGroupId())).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // a test whose group committed nothing
            }
        }
    }

    @Test
    void theLagOfAGroupThatCommittedNothingIsWhatWasWrittenAndDropsAsItCommits() throws Exception {
        EventsTopic.ensure(admin, settings, 1024 * 1024, servers);
        String events = settings.eventsTopic();
        int[] perPartition = {4, 3, 5};
        for (int partition = 0; partition < perPartition.length; partition++) {
            write(events, partition, perPartition[partition]);
        }
        String missing = prefix + ".no-such-topic";

        assertEquals(12, lag(events, missing));
        assertEquals(Map.of(events, 12L), ConsumerLag.byTopic(admin, settings.group(), List.of(events, missing),
                settings, servers), "a missing topic is left out");

        commit(Map.of(new TopicPartition(events, 0), 4L, new TopicPartition(events, 1), 1L));
        assertEquals(0 + 2 + 5, lag(events));

        // Where the group committed nothing, the lag counts from the earliest offset still there.
        admin.deleteRecords(Map.of(new TopicPartition(events, 2), RecordsToDelete.beforeOffset(3))).all()
                .get(30, TimeUnit.SECONDS);
        assertEquals(0 + 2 + 2, lag(events));

        commit(Map.of(new TopicPartition(events, 1), 3L, new TopicPartition(events, 2), 5L));
        assertEquals(0, lag(events));
        assertEquals(4 + 3 + 2, ConsumerLag.total(admin, "another-" + settings.group(), List.of(events), settings,
                servers), "another group's lag is its own");
    }

    @Test
    void theReportsOfTwoWorkersSumAndAStaleReportCountsOnlyItsCounters() {
        StatsTopic.ensure(admin, settings, servers);
        StatsTopic topic = new StatsTopic(producer, settings, servers);
        topic.write(new WorkerReport("worker-a", 10, 2, 1, 0, 3, 2, 5, now - 1_000));
        topic.write(new WorkerReport("worker-b", 20, 1, 0, 1, 0, 1, 1, now));
        topic.write(new WorkerReport("worker-gone", 7, 1, 1, 1, 1, 4, 6, now - STALENESS.toMillis() - 1));

        WorkerReports.Totals totals = new StatsReader(connection, settings).read(now, STALENESS);

        assertEquals(new WorkerReports.Totals(37, 4, 2, 2, 4, 3, 3, 3, 2, 0), totals);
    }

    @Test
    void theStatsTopicHasTheBrokersTimestampsAndOneWithTheWritersIsRefused() throws Exception {
        StatsTopic.ensure(admin, settings, servers);
        String stats = StatsTopic.name(settings);
        var resource = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, stats);
        // A topic just created may be unknown for a moment to the broker asked: its configuration is asked again.
        String timestampType = await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(
                        ExecutionException.class)
                .until(() -> admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                        .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value(), value -> true);
        assertEquals("LogAppendTime", timestampType);

        KafkaQueueSettings other = settings.withTopicPrefix(prefix + ".created");
        admin.createTopics(List.of(new NewTopic(StatsTopic.name(other), 1, (short) 1).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime")))).all().get(30, TimeUnit.SECONDS);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> StatsTopic.ensure(admin, other, servers));
        assertTrue(refused.getMessage().contains("message.timestamp.type=CreateTime"), refused.getMessage());
    }

    @Test
    void aNewerReportReplacesTheWorkersOlderOneAndATombstoneForgetsIt() {
        StatsTopic.ensure(admin, settings, servers);
        StatsTopic topic = new StatsTopic(producer, settings, servers);
        StatsReader reader = new StatsReader(connection, settings);
        topic.write(new WorkerReport("worker-a", 10, 2, 1, 0, 3, 2, 5, now - 2_000));
        topic.write(new WorkerReport("worker-b", 1, 0, 0, 0, 0, 0, 0, now));
        topic.write(new WorkerReport("worker-a", 15, 3, 1, 1, 3, 1, 1, now - 1_000));

        assertEquals(new WorkerReports.Totals(16, 3, 1, 1, 3, 1, 0, 2, 2, 0), reader.read(now, STALENESS));

        topic.remove("worker-a");
        assertEquals(new WorkerReports.Totals(1, 0, 0, 0, 0, 0, 0, 1, 1, 0), reader.read(now, STALENESS));
    }

    @Test
    void theIncrementalFoldGivesTheTotalsOfAWholeReadAfterMoreReports() throws Exception {
        StatsTopic.ensure(admin, settings, servers);
        StatsTopic topic = new StatsTopic(producer, settings, servers);
        StatsReader incremental = new StatsReader(connection, settings);
        topic.write(new WorkerReport("worker-a", 10, 2, 1, 0, 3, 2, 5, now - 1_000));
        topic.write(new WorkerReport("worker-b", 4, 0, 0, 0, 0, 1, 1, now));
        topic.write(subscriptionReport("worker-a", 10, 2));
        assertEquals(new WorkerReports.Totals(14, 2, 1, 0, 3, 3, 3, 2, 2, 0), incremental.read(now, STALENESS));
        assertEquals(10, incremental.subscriptions(now).get(0).handled());

        topic.write(new WorkerReport("worker-a", 25, 3, 1, 1, 3, 0, 0, now));
        topic.remove("worker-b");
        topic.write(new WorkerReport("worker-c", 7, 1, 0, 0, 0, 2, 2, now));
        topic.write(subscriptionReport("worker-a", 20, 3));
        topic.write(subscriptionReport("worker-c", 5, 0));
        producer.send(new ProducerRecord<>(StatsTopic.name(settings), "worker-d", "not a report"))
                .get(30, TimeUnit.SECONDS);

        StatsReader whole = new StatsReader(connection, settings);
        WorkerReports.Totals expected = whole.read(now, STALENESS);
        assertEquals(new WorkerReports.Totals(32, 4, 1, 1, 3, 2, 0, 2, 2, 1), expected);
        assertEquals(expected, incremental.read(now, STALENESS));
        assertEquals(whole.subscriptions(now), incremental.subscriptions(now));
        assertEquals(20 + 5, incremental.subscriptions(now).get(0).handled(),
                "worker-a's latest report plus worker-c's");
    }

    private static SubscriptionReport subscriptionReport(String worker, long handled, long failedAttempts) {
        return new SubscriptionReport(worker,
                Map.of("invoices", new SubscriptionCounts(handled, failedAttempts, 0, 0)), Map.of());
    }

    @Test
    void aRecordThatDoesNotDecodeIsSkippedAndCounted() throws Exception {
        StatsTopic.ensure(admin, settings, servers);
        StatsTopic topic = new StatsTopic(producer, settings, servers);
        topic.write(new WorkerReport("worker-a", 10, 0, 0, 0, 0, 1, 1, now));
        String stats = StatsTopic.name(settings);
        producer.send(new ProducerRecord<>(stats, "worker-b", "{\"completed\":99}")).get(30, TimeUnit.SECONDS);
        producer.send(new ProducerRecord<>(stats, "", "1 99 0 0 0 0 0 0 0")).get(30, TimeUnit.SECONDS);
        producer.send(new ProducerRecord<>(stats, "worker-c", "1 99 0 0 0 0 0 0 -1")).get(30, TimeUnit.SECONDS);

        WorkerReports.Totals totals = new StatsReader(connection, settings).read(now, STALENESS);

        assertEquals(new WorkerReports.Totals(10, 0, 0, 0, 0, 1, 0, 1, 1, 3), totals);
    }

    @Test
    void statsAreBuiltOfTheLagsTheFreshReportsTheCountersAndTheDeadLetters() throws Exception {
        EventsTopic.ensure(admin, settings, 1024 * 1024, servers);
        DeadLetterTopic.ensure(admin, settings, 1024 * 1024, servers);
        KafkaQueueStats stats = KafkaQueueStats.connect(connection, settings, STALENESS);
        toClose.add(stats);
        String events = settings.eventsTopic();
        write(events, 0, 6);
        write(events, 1, 4);
        commit(Map.of(new TopicPartition(events, 0), 2L)); // 8 past the committed offsets, 4 of them held
        String tier = RetryTiers.Tier.S4.topic(prefix, settings.group());
        admin.createTopics(List.of(new NewTopic(tier, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        write(tier, 2, 2);
        StatsTopic topic = new StatsTopic(producer, settings, servers);
        // worker-a holds 3: 1 running, 1 reserved, and 1 whose dead letter is being written (settling).
        topic.write(new WorkerReport("worker-a", 10, 4, 2, 1, 3, 1, 3, 1, now));
        topic.write(new WorkerReport("worker-b", 5, 1, 1, 0, 0, 1, 1, now));
        topic.write(new WorkerReport("worker-gone", 2, 0, 0, 0, 1, 3, 3, now - Duration.ofHours(1).toMillis()));
        new DeadLetterTopic(producer, settings, servers).write(new DeadLetter(UUID.randomUUID(), "parcel.shipped",
                List.of("invoices"), 3, "boom", Instant.ofEpochMilli(now), Instant.ofEpochMilli(now), "{}"));

        QueueStats read = stats.stats();

        assertEquals(new QueueStats(settings.group(), 8 - 4, 2, 1, 2, 0, 17, 1, 5, 1, 4), read);
    }

    @Test
    void anExistingStatsTopicThatIsNotCompactedIsRefused() throws Exception {
        String stats = StatsTopic.name(settings);
        admin.createTopics(List.of(new NewTopic(stats, 1, (short) 1).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)))).all()
                .get(30, TimeUnit.SECONDS);

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> StatsTopic.ensure(admin, settings, servers));

        assertTrue(refused.getMessage().contains(stats) && refused.getMessage().contains("cleanup.policy=delete"),
                refused.getMessage());
    }

    private long lag(String... topics) {
        return ConsumerLag.total(admin, settings.consumerGroupId(), List.of(topics), settings, servers);
    }

    private void write(String topic, int partition, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, partition, "key-" + i, "value-" + i)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Commits offsets as the group's worker will, with a plain consumer of the group. */
    private void commit(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        offsets.forEach((tp, offset) -> committed.put(tp, new OffsetAndMetadata(offset)));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ConsumerConfig.GROUP_ID_CONFIG, settings.consumerGroupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            consumer.commitSync(committed, Duration.ofSeconds(30));
        }
    }
}
