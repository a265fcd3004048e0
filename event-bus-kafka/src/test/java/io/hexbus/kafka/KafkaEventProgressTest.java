package io.hexbus.kafka;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.EventProgress.State;
import io.hexbus.api.admin.EventProgress.SubscriptionProgress;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.codec.EventCodec;
import io.hexbus.kafka.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link KafkaQueueAdmin#eventProgress} on a real broker, from records written by the test (no worker): a dead
 * letter, its retry from the admin, and handled ids with and without the event name; the newest record wins.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KafkaEventProgressTest {

    private static final String NAME = "parcel.shipped";
    private static final Map<String, List<String>> SUBSCRIPTIONS = Map.of(NAME, List.of("mails", "ledger"));

    private final String servers = TestKafka.shared();
    private final KafkaConnectionSettings connection = KafkaConnectionSettings.parse(servers);
    private final String prefix = "hexbus-test." + UUID.randomUUID();
    private final KafkaQueueSettings settings = KafkaQueueSettings.defaults("progress-" + UUID.randomUUID())
            .withTopicPrefix(prefix).withPartitions(3).withReplication(1, 1)
            .withCommandTimeout(Duration.ofSeconds(5));
    private final EventCodec codec = EventCodec.of(new EventTypeRegistry().register(ParcelShipped.class));
    private final Producer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer());
    private final KafkaQueueAdmin admin = KafkaQueueAdmin.connect(connection, settings, codec,
            Duration.ofSeconds(45), name -> SUBSCRIPTIONS.getOrDefault(name, List.of()));

    @AfterEach
    void cleanUp() throws Exception {
        admin.close();
        producer.close();
        try (Admin topics = Admin.create(Map.of("bootstrap.servers", servers))) {
            List<String> names = topics.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix + ".")).toList();
            topics.deleteTopics(names).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDeadLetterThenItsRetryThenItsHandledIdEachTellTheNewestState() {
        assertEquals(Optional.empty(), admin.eventProgress(UUID.randomUUID()), "no record: no state topic yet either");
        StateTopic state = stateTopic();
        Instant failedAt = Instant.ofEpochMilli(System.currentTimeMillis());
        UUID id = UUID.randomUUID();
        new DeadLetterTopic(producer, settings, servers).write(new DeadLetter(id, NAME, List.of("mails"), 3,
                "subscription 'mails': boom", failedAt.minusSeconds(30), failedAt, "{\"eventId\":\"" + id + "\"}"));

        assertEquals(Map.of("mails", State.DEAD, "ledger", State.DONE), states(id));
        SubscriptionProgress mails = progress(id).subscriptions().get(0);
        assertEquals(new SubscriptionProgress("mails", State.DEAD, 3, Optional.empty(),
                Optional.of("subscription 'mails': boom")), mails);

        admin.retry(id);
        assertEquals(Map.of("mails", State.WAITING), states(id), "a retry of its failed subscription only, in a tier");
        assertEquals(NAME, progress(id).eventName());

        state.handled(id, NAME, 1, System.currentTimeMillis() + 1);
        assertEquals(Map.of("mails", State.DONE, "ledger", State.DONE), states(id), "its id handled after its retry");
    }

    @Test
    void aHandledIdWithoutItsNameIsDoneForNoNamedSubscription() {
        StateTopic state = stateTopic();
        UUID id = UUID.randomUUID();

        state.handled(id, 2, System.currentTimeMillis());

        assertEquals(new EventProgress(id, "?", List.of()), progress(id));
    }

    private StateTopic stateTopic() {
        try (Admin topics = Admin.create(KafkaCalls.adminConfig(connection, settings))) {
            StateTopic.ensure(topics, settings, servers);
        }
        return new StateTopic(producer, connection, settings);
    }

    private EventProgress progress(UUID id) {
        return admin.eventProgress(id).orElseThrow();
    }

    private Map<String, State> states(UUID id) {
        return progress(id).subscriptions().stream().collect(Collectors.toMap(SubscriptionProgress::subscription,
                SubscriptionProgress::state));
    }
}
