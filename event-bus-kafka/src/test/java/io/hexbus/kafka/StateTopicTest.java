package io.hexbus.kafka;

import io.hexbus.kafka.testing.CreatedTopics;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.kafka.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A group's state topic on a real broker: its shape and refusals, writes to the event's partition, restores. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StateTopicTest {

    private static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private final String servers = TestKafka.shared();
    private final KafkaConnectionSettings connection = KafkaConnectionSettings.parse(servers);
    private final KafkaQueueSettings settings = KafkaQueueSettings.defaults("billing")
            .withTopicPrefix("hexbus-test." + UUID.randomUUID()).withPartitions(3).withReplication(1, 1)
            .withCommandTimeout(Duration.ofSeconds(5)).withDedupeWindow(Duration.ofHours(2));
    private final long now = System.currentTimeMillis();
    private Producer<String, String> producer;

    @AfterEach
    void cleanUp() throws Exception {
        if (producer != null) {
            producer.close();
        }
        try (Admin admin = admin()) {
            for (String topic : List.of(settings.eventsTopic(), settings.stateTopic())) {
                try {
                    admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // a test that created no such topic
                }
            }
        }
    }

    @Test
    void theTopicIsCreatedWithTheEventsPartitionsCompactedAndDeletedAfterTheWindow() throws Exception {
        ensureBoth(settings);

        try (Admin admin = admin()) {
            // Another admin client than the one that created it: its broker may not know the topic yet.
            assertEquals(3, CreatedTopics.description(admin, settings.stateTopic()).partitions().size());
            var config = CreatedTopics.config(admin, settings.stateTopic());
            assertEquals("compact,delete", config.get("cleanup.policy").value());
            assertEquals(Long.toString(Duration.ofHours(2).toMillis()), config.get("retention.ms").value());
            StateTopic.ensure(admin, settings, servers); // an existing topic of the right shape passes
        }
    }

    @Test
    void idsWrittenForPartitionsZeroAndTwoAreRestoredIntoTheirPartitionOnly() {
        StateTopic state = connect(settings);
        UUID inZero = UUID.randomUUID();
        UUID inTwo = UUID.randomUUID();
        UUID alsoInTwo = UUID.randomUUID();

        state.handled(inZero, 0, now - 1_000);
        state.handled(inTwo, 2, now - 500);
        state.handled(alsoInTwo, 2, now);

        HandledIds zero = state.restore(0).handledIds();
        HandledIds one = state.restore(1).handledIds();
        HandledIds two = state.restore(2).handledIds();
        assertTrue(zero.contains(inZero, now));
        assertFalse(zero.contains(inTwo, now));
        assertEquals(1, zero.size());
        assertEquals(0, one.size());
        assertTrue(two.contains(inTwo, now));
        assertTrue(two.contains(alsoInTwo, now));
        assertFalse(two.contains(inZero, now));
        assertEquals(2, two.size());
    }

    @Test
    void idsAndReleasesWrittenTogetherAreAllRestoredInTheirPartitions() {
        StateTopic state = connect(settings);
        state.hold("invoice-1", UUID.randomUUID(), 2);
        List<UUID> ids = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            records.add(state.handledRecord(id, i % 2 == 0 ? 0 : 2, now));
        }

        state.writeAll(records, "recording 200 events as handled");
        state.writeAll(List.of(state.releasedRecord("invoice-1", 2)), "releasing 1 ordering key");
        state.writeAll(List.of(), "nothing");

        StateTopic.Restored zero = state.restore(0);
        StateTopic.Restored two = state.restore(2);
        assertEquals(100, zero.handledIds().size());
        assertEquals(100, two.handledIds().size());
        for (int i = 0; i < ids.size(); i++) {
            assertTrue((i % 2 == 0 ? zero : two).handledIds().contains(ids.get(i), now), "id " + i);
        }
        assertEquals(Map.of(), two.heldKeys(), "released after the ids");
    }

    @Test
    void aHeldKeyIsRestoredWithItsEventAndAReleasedOneIsNot() {
        StateTopic state = connect(settings);
        UUID holder = UUID.randomUUID();
        UUID released = UUID.randomUUID();
        UUID heldAgain = UUID.randomUUID();

        state.hold("invoice-1", released, 1);
        state.hold("invoice-2", holder, 1);
        state.release("invoice-1", 1);
        state.hold("invoice-3", UUID.randomUUID(), 1);
        state.release("invoice-3", 1);
        state.hold("invoice-3", heldAgain, 1); // held again after its release: held

        StateTopic.Restored one = state.restore(1);
        assertEquals(Map.of("invoice-2", holder, "invoice-3", heldAgain), one.heldKeys());
        assertEquals(0, one.handledIds().size(), "a held key is not a handled id");
        assertEquals(Map.of(), state.restore(0).heldKeys());
    }

    @Test
    void anIdHandledLongerAgoThanTheWindowIsNotReportedAsHandled() {
        StateTopic state = connect(settings);
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();

        state.handled(old, 0, now - Duration.ofHours(2).toMillis() - 1_000);
        state.handled(recent, 0, now - Duration.ofHours(2).toMillis() + 60_000);

        HandledIds restored = state.restore(0).handledIds();
        assertFalse(restored.contains(old, now));
        assertTrue(restored.contains(recent, now));
    }

    @Test
    void aRestoreKeepsAtMostTheBoundTheIdsReadFirstForgotten() {
        KafkaQueueSettings bounded = settings.withMaxRememberedIds(2);
        StateTopic state = connect(bounded);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        state.handled(first, 0, now);
        state.handled(second, 0, now);
        state.handled(third, 0, now);

        HandledIds restored = state.restore(0).handledIds();
        assertFalse(restored.contains(first, now));
        assertTrue(restored.contains(second, now));
        assertTrue(restored.contains(third, now));
    }

    @Test
    void recordsOfAnotherShapeAreSkipped() throws Exception {
        StateTopic state = connect(settings);
        UUID handled = UUID.randomUUID();
        producer.send(new ProducerRecord<>(settings.stateTopic(), 0,
                "generation:0", "7")).get();
        producer.send(new ProducerRecord<>(settings.stateTopic(), 0,
                UUID.randomUUID().toString(), "not a time")).get();
        producer.send(new ProducerRecord<>(settings.stateTopic(), 0,
                "key:k", "not an id")).get();
        state.handled(handled, 0, now);

        StateTopic.Restored restored = state.restore(0);
        assertTrue(restored.handledIds().contains(handled, now));
        assertEquals(1, restored.handledIds().size());
        assertEquals(Map.of(), restored.heldKeys());
    }

    @Test
    void aStateTopicWithAnotherPartitionCountThanTheEventsIsRefusedNamingBoth() throws Exception {
        try (Admin admin = admin()) {
            EventsTopic.ensure(admin, settings, MAX_MESSAGE_BYTES, servers);
            admin.createTopics(List.of(new NewTopic(settings.stateTopic(), 2, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact,delete")))).all().get(30, TimeUnit.SECONDS);

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> StateTopic.ensure(admin, settings, servers));

            assertTrue(refused.getMessage().contains("'" + settings.stateTopic() + "'"), refused.getMessage());
            assertTrue(refused.getMessage().contains("'" + settings.eventsTopic() + "'"), refused.getMessage());
            assertTrue(refused.getMessage().contains("has 2 partitions"), refused.getMessage());
            assertTrue(refused.getMessage().contains("has 3"), refused.getMessage());
        }
    }

    @Test
    void aStateTopicThatIsNotCompactedOrKeepsIdsShorterThanTheWindowIsRefused() throws Exception {
        try (Admin admin = admin()) {
            EventsTopic.ensure(admin, settings, MAX_MESSAGE_BYTES, servers);
            admin.createTopics(List.of(new NewTopic(settings.stateTopic(), 3, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete")))).all().get(30, TimeUnit.SECONDS);

            IllegalStateException notCompacted = assertThrows(IllegalStateException.class,
                    () -> StateTopic.ensure(admin, settings, servers));
            assertTrue(notCompacted.getMessage().contains("cleanup.policy=delete"), notCompacted.getMessage());

            KafkaQueueSettings longerWindow = settings.withDedupeWindow(Duration.ofDays(30)); // the topic keeps 7 days
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, settings.stateTopic()),
                    List.of(new AlterConfigOp(
                            new ConfigEntry("cleanup.policy", "compact,delete"),
                            AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            IllegalStateException tooShort = assertThrows(IllegalStateException.class,
                    () -> StateTopic.ensure(admin, longerWindow, servers));
            assertTrue(tooShort.getMessage().contains("retention.ms"), tooShort.getMessage());
        }
    }

    @Test
    void restoringWithoutTheTopicOrBeyondItsPartitionsIsRefused() {
        StateTopic state = new StateTopic(producer(), connection, settings);

        TransportUnavailableException missing = assertThrows(TransportUnavailableException.class,
                () -> state.restore(0));
        assertTrue(missing.getMessage().contains(settings.stateTopic()), missing.getMessage());

        ensureBoth(settings);
        assertThrows(IllegalArgumentException.class, () -> state.restore(3));
        assertThrows(IllegalArgumentException.class, () -> state.handledRecord(UUID.randomUUID(), -1, now));
    }

    private StateTopic connect(KafkaQueueSettings used) {
        ensureBoth(used);
        return new StateTopic(producer(), connection, used);
    }

    private void ensureBoth(KafkaQueueSettings used) {
        try (Admin admin = admin()) {
            EventsTopic.ensure(admin, used, MAX_MESSAGE_BYTES, servers);
            StateTopic.ensure(admin, used, servers);
        }
    }

    private Producer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>(connection.clientProperties());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", servers));
    }
}
