package io.hexbus.kafka;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.engine.worker.EngineWorker;
import io.hexbus.kafka.testing.KafkaQueueUnderTest;
import io.hexbus.kafka.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Takeovers on Kafka beyond the contract, against the test broker: a worker joining moves only the partitions it
 * gets, and the handler running on one of them finishes before it moves (run once, no takeover); a record whose
 * handler kills every worker that takes it is counted across owners and dead-lettered past the most takeovers.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaTakeoverTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final DomainEventsProcessor processor = new DomainEventsProcessor(
            new EventTypeRegistry().register(ParcelShipped.class));
    private final KafkaQueueUnderTest queue = new KafkaQueueUnderTest(); // 2 partitions
    private final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.shared()));

    @AfterEach
    void close() {
        queue.close();
        admin.close();
    }

    @Test
    void aWorkerJoiningWhileAHandlerRunsOnAPartitionThatMovesLetsItFinishThereOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        processor.register(ParcelShipped.class, "slow", (ParcelShipped e) -> {
            runs.incrementAndGet();
            started.countDown();
            release.await();
        });
        QueuedTransport first = queue.connect(processor, QueueTestSettings.DEFAULTS);
        EngineWorker a = (EngineWorker) queue.startWorker(first);
        TopicPartition moving = new TopicPartition(queue.settings().eventsTopic(), 1);
        awaitAssignments(m -> owns(m, a, moving) && m.size() == 1);

        // Alone, a owns units 0 and 1; with a second worker it keeps unit 0 (its lowest) and gives up unit 1.
        write(ContractEvents.shipped(1), moving.partition());
        assertTrue(started.await(30, TimeUnit.SECONDS));
        EngineWorker b = (EngineWorker) queue.startWorker(queue.connect(processor, QueueTestSettings.DEFAULTS));

        // a gave partition 1 up in the first round, and holds it until its handler finished: b does not have it.
        awaitAssignments(m -> m.size() == 2 && !owns(m, a, moving) && !owns(m, b, moving));
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !owns(assignments(), b, moving));
        release.countDown();

        awaitAssignments(m -> owns(m, b, moving));
        QueueStats stats = await().atMost(WAIT).until(() -> first.admin().stats(), s -> s.completed() == 1);
        assertEquals(1, runs.get(), "the handler ran once: its partition moved once it finished");
        assertEquals(0, stats.takeovers());
        assertEquals(0, a.inFlight() + b.inFlight());
    }

    @Test
    void aRecordThatKillsEveryWorkerIsTakenOverThenDeadLetteredPastTheMostTakeovers() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        processor.register(ParcelShipped.class, "poison", (ParcelShipped e) -> {
            runs.incrementAndGet();
            new CountDownLatch(1).await(); // until its worker crashes
        });
        KafkaWorkerSettings crashing = new KafkaWorkerSettings(EngineSettings.defaults().withMaxTakeovers(1)
                .withShutdownDeadline(Duration.ofMillis(200)).withPollInterval(Duration.ofMillis(100))
                .withBlockTimeout(Duration.ofMillis(200)), Duration.ofSeconds(6));
        ParcelShipped poison = ContractEvents.shipped(7);
        KafkaTransport owner = connect(crashing);
        owner.startWorker();
        owner.eventBus().publish(poison);
        await().atMost(WAIT).until(() -> runs.get() == 1);
        owner.close(); // its worker dies with the handler: a crash, as Kafka sees it
        owner = connect(crashing);
        owner.startWorker();
        await().atMost(WAIT).until(() -> runs.get() == 2);
        owner.close();

        try (KafkaTransport last = connect(crashing)) {
            last.startWorker();
            QueueStats stats = await().atMost(WAIT).until(() -> last.admin().stats(), s -> s.deadLettered() == 1);
            assertEquals(2, runs.get(), "run by its first owner and by the owner that took it over once");
            assertEquals(2, stats.takeovers(), "each owner after the first took it over; the last dead-lettered it");
            assertEquals(0, stats.failedAttempts(), "a crash is not a failed attempt");
            DeadLetter dead = last.admin().deadLetter(poison.eventId()).orElseThrow();
            assertTrue(dead.lastError().contains("taken over 2 times"), dead.lastError());
        }
    }

    @Test
    void recordsReadAheadOfAPoisonRecordAreCountedOnceNotDeadLetteredWithIt() throws Exception {
        ParcelShipped poison = ContractEvents.shipped(7);
        AtomicInteger poisonRuns = new AtomicInteger();
        Set<String> others = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger otherRuns = new AtomicInteger();
        processor.register(ParcelShipped.class, "poison", (ParcelShipped e) -> {
            if (e.eventId().equals(poison.eventId())) {
                poisonRuns.incrementAndGet();
                new CountDownLatch(1).await(); // until its worker crashes
            }
            others.add(e.eventId().toString());
            otherRuns.incrementAndGet();
        });
        // One handler slot and a read-ahead of 50 (0 while recovering): the poison record runs, the 20 behind it wait
        // with the engine.
        KafkaWorkerSettings crashing = new KafkaWorkerSettings(EngineSettings.defaults().withConcurrency(1)
                .withReadAhead(50).withMaxTakeovers(1).withShutdownDeadline(Duration.ofMillis(200))
                .withPollInterval(Duration.ofMillis(100)).withBlockTimeout(Duration.ofMillis(200)),
                Duration.ofSeconds(6), 0); // recovering, no read-ahead: the one slot only
        write(poison, 0);
        for (int i = 0; i < 20; i++) {
            write(ContractEvents.shipped(100 + i), 0);
        }
        for (int owner = 1; owner <= 2; owner++) { // each dies while the poison record runs
            try (KafkaTransport dying = connect(crashing)) {
                dying.startWorker();
                int runs = owner;
                await().atMost(WAIT).until(() -> poisonRuns.get() == runs);
            }
        }

        try (KafkaTransport last = connect(crashing)) {
            last.startWorker();
            QueueStats stats = await().atMost(WAIT).until(() -> last.admin().stats(),
                    s -> s.deadLettered() + s.completed() == 21);
            // The first crash counted all 21 once; the second owner, recovering, held only the poison record when
            // it died, so only that one was counted twice.
            assertEquals(1, stats.deadLettered(), "only the poison record went past the most takeovers");
            assertEquals(20, stats.completed());
            assertEquals(20, others.size());
            assertEquals(20, otherRuns.get(), "each of the others ran once");
            assertTrue(last.admin().deadLetter(poison.eventId()).isPresent());
        }
    }

    private KafkaTransport connect(KafkaWorkerSettings workers) {
        return KafkaTransport.connect(KafkaConnectionSettings.parse(TestKafka.shared()), queue.settings(), workers,
                processor, EventCodec.of(processor.eventTypes()));
    }

    private void write(ParcelShipped event, int partition) throws Exception {
        EncodedEvent encoded = EventCodec.of(processor.eventTypes()).encode(event, Instant.now());
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaEventBus.NAME_HEADER, encoded.name().getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaEventBus.ID_HEADER, encoded.eventId().toString().getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.shared()), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(queue.settings().eventsTopic(), partition,
                    encoded.eventId().toString(), encoded.json(), headers)).get(30, TimeUnit.SECONDS);
        }
    }

    /** The group's members as the coordinator sees them: client id (the worker's name) to its partitions. */
    private Map<String, Set<TopicPartition>> assignments() throws Exception {
        List<MemberDescription> members = admin.describeConsumerGroups(List.of(queue.settings().consumerGroupId()))
                .all().get(30, TimeUnit.SECONDS).get(queue.settings().consumerGroupId()).members().stream().toList();
        return members.stream().collect(Collectors.toMap(MemberDescription::clientId,
                m -> m.assignment().topicPartitions(), (x, y) -> x));
    }

    private void awaitAssignments(Predicate<Map<String, Set<TopicPartition>>> condition) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(this::assignments, condition);
    }

    private static boolean owns(Map<String, Set<TopicPartition>> members, EngineWorker worker,
                                TopicPartition partition) {
        return members.getOrDefault(worker.name(), Set.of()).contains(partition);
    }
}
