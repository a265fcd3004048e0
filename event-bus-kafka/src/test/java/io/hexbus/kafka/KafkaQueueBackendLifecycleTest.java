package io.hexbus.kafka;

import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.backend.Acknowledgement;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.kafka.testing.KafkaQueueUnderTest;
import io.hexbus.kafka.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KafkaQueueBackend} driven directly, as the engine drives it, against the test broker: closing it while its
 * fetch thread is still in a long poll or in a revocation waiting for the engine, and a delivery lost to a revocation
 * that its engine settles afterwards.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaQueueBackendLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaQueueUnderTest queue = new KafkaQueueUnderTest(); // 2 partitions, topics created
    private final KafkaConnectionSettings connection = KafkaConnectionSettings.parse(TestKafka.shared());
    private final Producer<String, String> producer = KafkaCalls.producer(KafkaCalls.producerConfig(connection,
            queue.settings(), 1_000_000), TestKafka.shared());
    private final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.shared()));
    private final List<Fetcher> fetchers = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws InterruptedException {
        for (Fetcher f : fetchers) {
            f.stop();
        }
        producer.close(Duration.ZERO);
        admin.close();
        queue.close();
    }

    @Test
    void closingWhileTheFetchThreadWaitsInAPollLeavesTheGroupAndFailsNothing() throws Exception {
        // A session timeout far above the waits below: a worker that did not leave stays a member meanwhile.
        KafkaQueueBackend backend = backend("closing", Duration.ofSeconds(45), Duration.ofSeconds(1));
        // The topic is empty: the poll that joins the group goes on waiting for records, up to a minute.
        Fetcher fetcher = fetch(backend, Duration.ofSeconds(60));
        await().atMost(WAIT).until(() -> members() == 1);

        backend.close();

        await().atMost(Duration.ofSeconds(15)).until(() -> members() == 0);
        fetcher.thread.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(fetcher.thread.isAlive(), "the fetch thread left its poll");
        Throwable failure = fetcher.failure.get();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertFalse(t instanceof ConcurrentModificationException, "the fetch thread failed with " + failure);
        }
    }

    @Test
    void aDeliveryLostToARevocationIsForgottenOnceItsSettleIsRefused() throws Exception {
        // A revocation waits 200 ms for the engine, then lets go of what it still holds.
        KafkaQueueBackend first = backend("first", Duration.ofSeconds(6), Duration.ofMillis(200));
        Delivery held = heldWhenASecondWorkerJoins(first, true);
        await().atMost(WAIT).until(first::lostDeliveries, n -> n == 1);

        Set<String> refused = first.acknowledge(List.of(new Acknowledgement(held,
                Acknowledgement.Kind.COMPLETED)));

        assertEquals(Set.of(held.id()), refused, "its partition moved: the settle is refused");
        assertEquals(0, first.lostDeliveries(), "the engine let go of it: nothing left to report lost");
        assertTrue(first.renew(List.of(held.id())).isEmpty());
    }

    @Test
    void closingWhileARevocationWaitsForTheEngineKeepsItsCommit() throws Exception {
        // The revocation waits up to a minute for the engine to settle what it holds of the partition moving away.
        KafkaQueueBackend first = backend("first", Duration.ofSeconds(6), Duration.ofSeconds(60));
        // Offset 0 of partition 1. Without an id: were it not committed as settled, its next owner would not drop it
        // as a duplicate, and nothing else would commit its offset.
        Delivery held = heldWhenASecondWorkerJoins(first, false);
        await().atMost(WAIT).until(first::inRebalanceListener);

        // Closed meanwhile: close waits for the fetch thread to let go of the consumer (parked between tries).
        Thread closer = new Thread(first::close, "test-closer");
        closer.start();
        await().atMost(WAIT).until(() -> closer.getState() == Thread.State.TIMED_WAITING);
        Set<String> refused = first.acknowledge(List.of(new Acknowledgement(held, Acknowledgement.Kind.COMPLETED)));
        closer.join(TimeUnit.SECONDS.toMillis(60));

        assertTrue(refused.isEmpty(), "settled before its partition moved: " + refused);
        assertFalse(closer.isAlive(), "close returned");
        // A wakeup taken by the commit would fail it (Kafka has usually sent the request by then, so the offset below
        // may be committed all the same; the worker cannot know, and said it failed).
        assertEquals(0, first.revocationCommitsFailed(), "the revocation's commit was not woken up");
        assertEquals(1L, committedOffset(1), "the revocation committed the settled record: nothing runs it again");
    }

    @Test
    void aCallWokenUpOnceIsMadeOnceMoreAndASecondWakeupIsRaised() {
        AtomicInteger calls = new AtomicInteger();
        assertTrue(KafkaQueueBackend.retriedOnceOnWakeup(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new WakeupException();
            }
            return true;
        }));
        assertEquals(2, calls.get());

        calls.set(0);
        assertThrows(WakeupException.class,
                () -> KafkaQueueBackend.retriedOnceOnWakeup(() -> {
                    calls.incrementAndGet();
                    throw new WakeupException();
                }));
        assertEquals(2, calls.get(), "a second wakeup is not waited out: it came from somewhere else");
    }

    /**
     * The first worker, alone, takes the record written to partition 1 (offset 0); then a second worker joins, and
     * the first gives that partition up (its highest).
     */
    private Delivery heldWhenASecondWorkerJoins(KafkaQueueBackend first, boolean withId) throws Exception {
        Fetcher a = fetch(first, Duration.ofMillis(200));
        await().atMost(WAIT).until(() -> members() == 1 && a.calls.get() >= 2);
        write(ContractEvents.shipped(1), 1, withId);
        Delivery held = await().atMost(WAIT).until(a.deliveries::poll, d -> d != null);
        fetch(backend("second", Duration.ofSeconds(6), Duration.ofMillis(200)), Duration.ofMillis(200));
        return held;
    }

    private KafkaQueueBackend backend(String name, Duration sessionTimeout, Duration revocationWait) {
        KafkaQueueBackend backend = new KafkaQueueBackend(connection, queue.settings(), sessionTimeout, name,
                producer, Clock.systemUTC(), revocationWait, 4);
        backend.open();
        return backend;
    }

    /** Calls fetch on a thread of its own, as the engine's fetch thread does, until stopped or it fails. */
    private Fetcher fetch(KafkaQueueBackend backend, Duration block) {
        Fetcher fetcher = new Fetcher(backend, block);
        fetchers.add(fetcher);
        fetcher.thread.start();
        return fetcher;
    }

    private int members() throws Exception {
        String group = queue.settings().consumerGroupId();
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS)
                .get(group);
        return (int) d.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
    }

    private long committedOffset(int partition) throws Exception {
        TopicPartition p = new TopicPartition(queue.settings().eventsTopic(), partition);
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(queue.settings().consumerGroupId())
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(p);
        return committed == null ? -1 : committed.offset();
    }

    private void write(ParcelShipped event, int partition, boolean withId) throws Exception {
        EncodedEvent encoded = EventCodec.of(new EventTypeRegistry().register(ParcelShipped.class))
                .encode(event, Instant.now());
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaEventBus.NAME_HEADER, encoded.name().getBytes(StandardCharsets.UTF_8));
        if (withId) {
            headers.add(KafkaEventBus.ID_HEADER, encoded.eventId().toString().getBytes(StandardCharsets.UTF_8));
        }
        try (KafkaProducer<String, String> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.shared()), new StringSerializer(),
                new StringSerializer())) {
            raw.send(new ProducerRecord<>(queue.settings().eventsTopic(), partition, encoded.eventId().toString(),
                    encoded.json(), headers)).get(30, TimeUnit.SECONDS);
        }
    }

    private static final class Fetcher {
        final KafkaQueueBackend backend;
        final Thread thread;
        final AtomicInteger calls = new AtomicInteger();
        final Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean running = new AtomicBoolean(true);

        Fetcher(KafkaQueueBackend backend, Duration block) {
            this.backend = backend;
            this.thread = new Thread(() -> {
                try {
                    while (running.get()) {
                        calls.incrementAndGet();
                        deliveries.addAll(new ArrayList<>(backend.fetch(10, block)));
                    }
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            }, "test-fetcher");
        }

        /** Stops fetching, then closes the backend (again: closing is idempotent enough for a test's end). */
        void stop() throws InterruptedException {
            running.set(false);
            thread.join(TimeUnit.SECONDS.toMillis(30));
            backend.close();
        }
    }
}
