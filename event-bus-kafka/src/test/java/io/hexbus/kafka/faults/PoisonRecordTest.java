package io.hexbus.kafka.faults;

import io.hexbus.api.testing.faults.ParcelSent;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.kafka.KafkaEventBus;
import io.hexbus.kafka.KafkaTransport;
import io.hexbus.kafka.testing.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records no hexbus publisher writes, written to the events topic with a plain {@link KafkaProducer} as a buggy or
 * hostile producer would, each followed by a good event in the same (single) partition: every one is dead-lettered
 * with its reason after one attempt, no handler runs on it, and the good events behind it are handled. What the queued
 * contract already covers (invalid JSON) is not repeated: an unknown name this service has a handler for, an envelope
 * over the size limit, one nested too deep, a record without the name header, without the id header, with an id
 * header that is not the envelope's id or not an id at all, without a value, and with a name outside the event-name
 * grammar.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PoisonRecordTest {

    private static final Logger LOG = LoggerFactory.getLogger(PoisonRecordTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String UNREGISTERED = "kafka-faults.unregistered";

    private final FaultQueue queue = FaultQueue.create(TestKafka.shared(), 1, 1, 1, Duration.ofSeconds(5));
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<UUID> handled = new CopyOnWriteArrayList<>();
    private final List<UUID> good = new ArrayList<>();

    /** A poison record and what its dead letter must say. */
    private record Poison(String what, UUID deadLetterId, String reason, List<String> subscriptions,
                          int maxKeptChars) {

        Poison(String what, UUID deadLetterId, String reason, List<String> subscriptions) {
            this(what, deadLetterId, reason, subscriptions, Integer.MAX_VALUE);
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        try {
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
        } finally {
            queue.delete();
        }
    }

    private static String envelope(String name, Object id, String payload) {
        return "{\"v\":1,\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"occurredAt\":\"2026-11-23T10:00:00Z\","
                + "\"publishedAt\":\"2026-11-23T10:00:00Z\",\"metadata\":null,\"payload\":" + payload + "}";
    }

    @Test
    void everyPoisonRecordIsDeadLetteredWithItsReasonAndTheGoodEventsBehindItAreHandled() throws Exception {
        DomainEventsProcessor processor = FaultQueue.processor();
        processor.register(ParcelSent.class, "parcels", (ParcelSent e) -> handled.add(e.eventId()));
        processor.register(UNREGISTERED, "by-name", e -> handled.add(e.eventId()), SubscriptionOptions.DEFAULT);
        KafkaTransport transport = queue.connect(processor, 2);
        resources.add(transport);
        transport.startWorker();
        KafkaProducer<String, String> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, queue.servers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 << 20), new StringSerializer(), new StringSerializer());
        resources.add(raw);
        String events = queue.settings().eventsTopic();
        List<Poison> poisons = new ArrayList<>();

        UUID id = EventIds.newId();
        write(raw, id, UNREGISTERED, id.toString(), envelope(UNREGISTERED, id, "{}"));
        poisons.add(new Poison("an unknown name with a handler", id, "unknown event name '" + UNREGISTERED + "'",
                List.of("by-name")));

        id = EventIds.newId();
        write(raw, id, ParcelSent.NAME, id.toString(), envelope(ParcelSent.NAME, id, "{\"number\":1,\"pad\":\""
                + "x".repeat(1 << 20) + "\"}"));
        poisons.add(new Poison("over the size limit", id, "over the limit of 1048576 bytes", List.of("parcels"),
                10_000)); // the dead letter keeps only its start

        id = EventIds.newId();
        write(raw, id, ParcelSent.NAME, id.toString(), envelope(ParcelSent.NAME, id, "{\"number\":1,\"deep\":"
                + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
        poisons.add(new Poison("nested too deep", id, "nesting depth", List.of("parcels")));

        id = EventIds.newId();
        write(raw, id, null, id.toString(), envelope(ParcelSent.NAME, id, "{\"number\":1}"));
        poisons.add(new Poison("no name header", id, "has no event name", List.of()));

        id = EventIds.newId();
        long offset = write(raw, id, ParcelSent.NAME, null, envelope(ParcelSent.NAME, id, "{\"number\":1}"));
        poisons.add(new Poison("no id header", derivedId(events, offset), "is routed as " + ParcelSent.NAME + " ''"
                + " but its envelope holds ParcelSent " + id, List.of("parcels")));

        id = EventIds.newId();
        UUID other = EventIds.newId();
        write(raw, id, ParcelSent.NAME, id.toString(), envelope(ParcelSent.NAME, other, "{\"number\":1}"));
        poisons.add(new Poison("an id header that is not the envelope's id", id, "is routed as " + ParcelSent.NAME
                + " '" + id + "' but its envelope holds ParcelSent " + other, List.of("parcels")));

        id = EventIds.newId();
        offset = write(raw, id, ParcelSent.NAME, "not-an-id", envelope(ParcelSent.NAME, id, "{\"number\":1}"));
        poisons.add(new Poison("an id header that is no id", derivedId(events, offset), "is routed as "
                + ParcelSent.NAME + " 'not-an-id'", List.of("parcels")));

        id = EventIds.newId();
        write(raw, id, ParcelSent.NAME, id.toString(), null);
        poisons.add(new Poison("no value", id, "has no envelope", List.of()));

        id = EventIds.newId();
        write(raw, id, "Not A Name!", id.toString(), envelope("Not A Name!", id, "{}"));
        poisons.add(new Poison("a name outside the grammar", id, "has an invalid event name 'Not A Name!'",
                List.of()));

        await().atMost(WAIT).until(() -> handled.containsAll(good));
        for (Poison poison : poisons) {
            DeadLetter dead = await().atMost(WAIT).until(() -> transport.admin().deadLetter(poison.deadLetterId()),
                    java.util.Optional::isPresent).orElseThrow();
            LOG.info("{}: dead-lettered for {}: {}", poison.what(), dead.failedSubscriptions(),
                    dead.lastError().lines().findFirst().orElse(""));
            assertTrue(dead.lastError().contains(poison.reason()), () -> poison.what() + ": " + dead.lastError());
            assertEquals(1, dead.attempts(), poison.what());
            assertEquals(poison.subscriptions(), dead.failedSubscriptions(), poison.what());
            assertTrue(dead.envelope().length() <= poison.maxKeptChars(), () -> poison.what() + ": "
                    + dead.envelope().length() + " characters kept");
        }
        QueueStats stats = await().atMost(WAIT).until(() -> transport.admin().stats(),
                s -> s.waiting() == 0 && s.active() == 0 && s.reserved() == 0 && s.completed() == good.size());
        LOG.info("{} poison records, {} good events: {}", poisons.size(), good.size(), stats);
        assertEquals(poisons.size(), stats.deadLettered());
        assertEquals(good, handled, "the good events, each once and in order; no handler ran on a poison record");
    }

    /**
     * Writes a raw record, then publishes a good event behind it.
     *
     * @return the raw record's offset
     */
    private long write(KafkaProducer<String, String> raw, UUID key, String name, String id, String value)
            throws Exception {
        RecordHeaders headers = new RecordHeaders();
        if (name != null) {
            headers.add(KafkaEventBus.NAME_HEADER, name.getBytes(StandardCharsets.UTF_8));
        }
        if (id != null) {
            headers.add(KafkaEventBus.ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        }
        long offset = raw.send(new ProducerRecord<>(queue.settings().eventsTopic(), null, key.toString(), value,
                headers)).get(30, TimeUnit.SECONDS).offset();
        ParcelSent next = ParcelSent.numbered(good.size() + 1);
        ((KafkaTransport) resources.get(0)).eventBus().publish(next);
        good.add(next.eventId());
        return offset;
    }

    /** The id the engine gives a record without a usable one: derived from its delivery id, topic-partition@offset. */
    private static UUID derivedId(String topic, long offset) {
        return UUID.nameUUIDFromBytes((topic + "-0@" + offset).getBytes(StandardCharsets.UTF_8));
    }
}
