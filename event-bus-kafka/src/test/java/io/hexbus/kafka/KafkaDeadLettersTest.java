package io.hexbus.kafka;

import io.hexbus.kafka.testing.CreatedTopics;
import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterFilter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.kafka.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dead letters of a group on a real broker: listing, lookup, removal, cleaning by age, retries, refusals. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KafkaDeadLettersTest {

    private static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private final String servers = TestKafka.shared();
    private final KafkaConnectionSettings connection = KafkaConnectionSettings.parse(servers);
    private final KafkaQueueSettings settings = KafkaQueueSettings.defaults("billing")
            .withTopicPrefix("hexbus-test." + UUID.randomUUID()).withPartitions(3).withReplication(1, 1)
            .withCommandTimeout(Duration.ofSeconds(5)).withDeadLetterRetention(Duration.ofDays(3));
    private final Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    private final List<DeadLetter> redelivered = new CopyOnWriteArrayList<>();
    private volatile Predicate<DeadLetter> redeliveryAnswer = d -> true;
    private final Redelivery redelivery = deadLetter -> {
        redelivered.add(deadLetter);
        return redeliveryAnswer.test(deadLetter);
    };
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private DeadLetterTopic writer;

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(settings.deadLetterTopic())).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // a test that created no topic
        }
    }

    @Test
    void deadLettersAreListedNewestFirstAndPagedWithTheTotal() {
        KafkaDeadLetters deadLetters = connect();
        List<DeadLetter> written = new ArrayList<>();
        for (int minutesAgo : new int[] {3, 1, 4, 0, 2}) { // written out of time order
            written.add(write(deadLetter(now.minus(Duration.ofMinutes(minutesAgo)), "invoices")));
        }
        List<DeadLetter> newestFirst = written.stream()
                .sorted((a, b) -> b.lastFailedAt().compareTo(a.lastFailedAt())).toList();

        DeadLetterPage first = deadLetters.deadLetters(0, 2);
        DeadLetterPage second = deadLetters.deadLetters(2, 2);
        DeadLetterPage last = deadLetters.deadLetters(4, 2);
        DeadLetterPage beyond = deadLetters.deadLetters(10, 2);

        assertEquals(newestFirst.subList(0, 2), first.items());
        assertEquals(newestFirst.subList(2, 4), second.items());
        assertEquals(newestFirst.subList(4, 5), last.items());
        assertEquals(List.of(), beyond.items());
        for (DeadLetterPage page : List.of(first, second, last, beyond)) {
            assertEquals(5, page.total());
        }
        assertEquals(2, second.offset());
    }

    @Test
    void filteredCallsJudgeEachDeadLetterByItsLatestRecordAndCountThoseLeftOutOfTheIndex() {
        KafkaDeadLetters deadLetters = connect(2);
        DeadLetter oldestInvoice = write(deadLetter(now.minus(Duration.ofMinutes(4)), "invoices"));
        DeadLetter invoice = write(deadLetter(now.minus(Duration.ofMinutes(3)), "invoices"));
        DeadLetter newestInvoice = write(deadLetter(now.minus(Duration.ofMinutes(2)), "invoices"));
        DeadLetter mail = write(deadLetter(now.minus(Duration.ofMinutes(1)), "mails"));
        DeadLetter moved = write(deadLetter(now.minus(Duration.ofMinutes(5)), "invoices"));
        DeadLetter movedLater = write(new DeadLetter(moved.eventId(), moved.eventName(), List.of("mails"), 4,
                "failed again", moved.firstFailedAt(), now, moved.envelope()));
        DeadLetterFilter invoices = DeadLetterFilter.ANY.withSubscription("invoices");

        DeadLetterPage page = deadLetters.deadLetters(invoices, 0, 10);

        assertEquals(List.of(newestInvoice, invoice), page.items(), "the index keeps 2; the dead letter moved to"
                + " mails by its latest record is not an invoice one");
        assertEquals(3, page.total(), "the oldest invoice one, left out of the index, is counted");
        assertEquals(Optional.of(oldestInvoice), deadLetters.find(oldestInvoice.eventId()),
                "found in its partition though left out of the index");
        assertEquals(Optional.of(movedLater), deadLetters.find(moved.eventId()));

        assertEquals(2, deadLetters.retryAll(DeadLetterFilter.ANY.withSubscription("mails")));
        assertEquals(List.of(mail, movedLater), redelivered, "the matching ones only, oldest first");
        assertEquals(3, deadLetters.removeAll(invoices), "the one left out of the index too");
        assertEquals(0, deadLetters.deadLetters(0, 10).total());
        assertEquals(Optional.empty(), deadLetters.find(oldestInvoice.eventId()));
    }

    @Test
    void aDeadLetterIsFoundByItsEventIdAndAWrittenAgainOneReplacesTheEarlier() {
        KafkaDeadLetters deadLetters = connect();
        DeadLetter earlier = write(deadLetter(now.minusSeconds(60), "invoices"));
        DeadLetter later = write(new DeadLetter(earlier.eventId(), earlier.eventName(), List.of("invoices", "mails"),
                7, "failed again", earlier.firstFailedAt(), now, earlier.envelope()));
        DeadLetter other = write(deadLetter(now.minusSeconds(30), "mails"));

        assertEquals(Optional.of(later), deadLetters.deadLetter(earlier.eventId()));
        assertEquals(Optional.of(other), deadLetters.deadLetter(other.eventId()));
        assertEquals(Optional.empty(), deadLetters.deadLetter(UUID.randomUUID()));
        assertEquals(2, deadLetters.deadLetters(0, 10).total());
    }

    @Test
    void removeWritesATombstoneAndASecondRemoveFindsNothing() {
        KafkaDeadLetters deadLetters = connect();
        DeadLetter removed = write(deadLetter(now.minusSeconds(10), "invoices"));
        DeadLetter kept = write(deadLetter(now.minusSeconds(20), "invoices"));

        assertTrue(deadLetters.remove(removed.eventId()));

        ConsumerRecord<String, String> last = readRaw().stream()
                .filter(r -> r.key().equals(removed.eventId().toString())).reduce((a, b) -> b).orElseThrow();
        assertNull(last.value(), "the last record of its id is a tombstone");
        assertEquals(Optional.empty(), deadLetters.deadLetter(removed.eventId()));
        assertEquals(List.of(kept), deadLetters.deadLetters(0, 10).items());
        assertEquals(1, deadLetters.deadLetters(0, 10).total());
        assertFalse(deadLetters.remove(removed.eventId()), "already removed");
        assertFalse(deadLetters.remove(UUID.randomUUID()), "never dead-lettered");
    }

    @Test
    void cleanRemovesOnlyTheDeadLettersOlderThanTheAge() {
        KafkaDeadLetters deadLetters = connect();
        write(deadLetter(now.minus(Duration.ofDays(2)), "invoices"));
        write(deadLetter(now.minus(Duration.ofHours(25)), "invoices"));
        DeadLetter recent = write(deadLetter(now.minus(Duration.ofHours(23)), "invoices"));
        DeadLetter newest = write(deadLetter(now, "invoices"));

        assertEquals(2, deadLetters.cleanDeadLetters(Duration.ofDays(1)));

        assertEquals(List.of(newest, recent), deadLetters.deadLetters(0, 10).items());
        assertEquals(0, deadLetters.cleanDeadLetters(Duration.ofDays(1)), "nothing older is left");
    }

    @Test
    void pastTheBoundTheOldestAreLeftOutButCountedAndCleaningStillReachesThem() {
        KafkaDeadLetters deadLetters = connect(2);
        List<DeadLetter> written = new ArrayList<>();
        for (int daysAgo = 5; daysAgo >= 1; daysAgo--) {
            written.add(write(deadLetter(now.minus(Duration.ofDays(daysAgo)), "invoices")));
        }

        DeadLetterPage page = deadLetters.deadLetters(0, 10);

        assertEquals(List.of(written.get(4), written.get(3)), page.items(), "the newest two");
        assertEquals(5, page.total(), "the three left out are counted");
        assertEquals(Optional.empty(), deadLetters.deadLetter(written.get(0).eventId()), "left out of the index");
        assertEquals(4, deadLetters.cleanDeadLetters(Duration.ofHours(36)), "those left out of the index too");
        assertEquals(List.of(written.get(4)), deadLetters.deadLetters(0, 10).items());
        assertEquals(1, deadLetters.deadLetters(0, 10).total());
    }

    @Test
    void retryHandsTheFailedSubscriptionsAndTheEnvelopeToTheRedeliveryThenRemovesTheDeadLetter() {
        KafkaDeadLetters deadLetters = connect();
        DeadLetter retried = write(deadLetter(now, "invoices", "mails"));
        DeadLetter other = write(deadLetter(now.minusSeconds(5), "ledger"));

        assertTrue(deadLetters.retry(retried.eventId()));

        assertEquals(1, redelivered.size());
        assertEquals(List.of("invoices", "mails"), redelivered.get(0).failedSubscriptions());
        assertEquals(retried.envelope(), redelivered.get(0).envelope());
        assertEquals(retried, redelivered.get(0));
        assertEquals(List.of(other), deadLetters.deadLetters(0, 10).items());
        assertFalse(deadLetters.retry(retried.eventId()), "no longer a dead letter");
        assertFalse(deadLetters.retry(UUID.randomUUID()));
        assertEquals(1, redelivered.size(), "nothing else was handed over");
    }

    @Test
    void aRedeliveryThatReturnsFalseOrThrowsLeavesTheDeadLetter() {
        KafkaDeadLetters deadLetters = connect();
        DeadLetter deadLetter = write(deadLetter(now, "invoices"));
        redeliveryAnswer = d -> false;

        assertFalse(deadLetters.retry(deadLetter.eventId()));
        assertEquals(Optional.of(deadLetter), deadLetters.deadLetter(deadLetter.eventId()));

        IllegalStateException failure = new IllegalStateException("the retry topic is gone");
        redeliveryAnswer = d -> {
            throw failure;
        };
        assertSame(failure, assertThrows(IllegalStateException.class, () -> deadLetters.retry(deadLetter.eventId())));
        assertEquals(Optional.of(deadLetter), deadLetters.deadLetter(deadLetter.eventId()));
        assertSame(failure, assertThrows(IllegalStateException.class, deadLetters::retryAll));
        redeliveryAnswer = d -> false;
        assertEquals(0, deadLetters.retryAll(), "declined again");
        assertEquals(1, deadLetters.deadLetters(0, 10).total());
        assertEquals(4, redelivered.size());
    }

    @Test
    void retryAllRetriesEachDeadLetterHeldWhenItStartsOnceAndLeavesTheDeclinedOnes() {
        KafkaDeadLetters deadLetters = connect();
        DeadLetter declined = write(deadLetter(now.minusSeconds(3), "invoices"));
        DeadLetter a = write(deadLetter(now.minusSeconds(2), "invoices"));
        DeadLetter b = write(deadLetter(now.minusSeconds(1), "mails"));
        List<DeadLetter> writtenMeanwhile = new ArrayList<>();
        redeliveryAnswer = d -> {
            if (writtenMeanwhile.isEmpty()) { // a dead letter written while the call runs is left for the next one
                writtenMeanwhile.add(write(deadLetter(now, "ledger")));
            }
            return !d.eventId().equals(declined.eventId());
        };

        assertEquals(2, deadLetters.retryAll());

        assertEquals(List.of(declined, a, b), redelivered, "each once, oldest first");
        assertEquals(List.of(writtenMeanwhile.get(0), declined), deadLetters.deadLetters(0, 10).items());
    }

    @Test
    void argumentsAreRefusedAsQueueAdminSays() {
        KafkaDeadLetters deadLetters = connect();

        assertThrows(IllegalArgumentException.class, () -> deadLetters.deadLetters(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> deadLetters.deadLetters(0, 0));
        assertThrows(IllegalArgumentException.class, () -> deadLetters.deadLetters(0, DeadLetterPage.MAX_LIMIT + 1));
        assertEquals(0, deadLetters.deadLetters(0, DeadLetterPage.MAX_LIMIT).total(), "the largest page is allowed");
        assertThrows(IllegalArgumentException.class, () -> deadLetters.cleanDeadLetters(null));
        assertThrows(IllegalArgumentException.class, () -> deadLetters.cleanDeadLetters(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> deadLetters.cleanDeadLetters(Duration.ofSeconds(-1)));
        assertEquals(0, deadLetters.cleanDeadLetters(Duration.ofSeconds(Long.MAX_VALUE)), "a huge age is allowed");
        assertThrows(NullPointerException.class, () -> deadLetters.deadLetter(null));
        assertThrows(NullPointerException.class, () -> deadLetters.remove(null));
        assertThrows(NullPointerException.class, () -> deadLetters.retry(null));
    }

    @Test
    void reservedCharactersAndNonAsciiTextRoundTrip() {
        KafkaDeadLetters deadLetters = connect();
        String error = "java.lang.IllegalStateException: \"Rechnung\" für Müller, 請求書 ✓ \u0000\t\r\n"
                + "\tat io.hexbus.Invoices.handle(Invoices.java:42)\n,;:=%{}[]<>\\";
        DeadLetter written = write(new DeadLetter(UUID.randomUUID(), "facture.émise", List.of("compta-é", "mails.v2"),
                2, error, now.minusSeconds(1), now, "{\"note\":\"naïve \\\"quoted\\\" 日本\"}"));

        assertEquals(Optional.of(written), deadLetters.deadLetter(written.eventId()));
        assertEquals(List.of(written), deadLetters.deadLetters(0, 1).items());
        assertThrows(IllegalArgumentException.class, () -> write(deadLetter(now, "two\nlines")),
                "a line break separates the subscriptions in their header");
    }

    @Test
    void theTopicIsCreatedCompactedAndDeletedAfterTheRetention() throws Exception {
        connect();

        try (Admin admin = admin()) {
            assertEquals(DeadLetterTopic.PARTITIONS,
                    CreatedTopics.description(admin, settings.deadLetterTopic()).partitions().size());
            var config = CreatedTopics.config(admin, settings.deadLetterTopic());
            assertEquals("compact,delete", config.get("cleanup.policy").value());
            assertEquals(Long.toString(Duration.ofDays(3).toMillis()), config.get("retention.ms").value());
            assertEquals(Integer.toString(MAX_MESSAGE_BYTES), config.get("max.message.bytes").value());
        }
    }

    @Test
    void anExistingTopicThatIsNotCompactedIsRefusedNamingIt() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(settings.deadLetterTopic(), 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete")))).all().get(30, TimeUnit.SECONDS);
        }

        IllegalStateException refused = assertThrows(IllegalStateException.class, this::connect);

        assertTrue(refused.getMessage().contains("'" + settings.deadLetterTopic() + "'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("cleanup.policy=delete"), refused.getMessage());
    }

    @Test
    void aClusterThatCannotBeReachedFailsAsUnavailableNamingIt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KafkaConnectionSettings nowhere = KafkaConnectionSettings.parse("127.0.0.1:" + closedPort);

        TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
                () -> KafkaDeadLetters.connect(nowhere, settings.withCommandTimeout(Duration.ofSeconds(2)),
                        MAX_MESSAGE_BYTES, redelivery, KafkaDeadLetters.MAX_DEAD_LETTERS));

        assertTrue(refused.getMessage().contains("127.0.0.1:" + closedPort), refused.getMessage());
    }

    private KafkaDeadLetters connect() {
        return connect(KafkaDeadLetters.MAX_DEAD_LETTERS);
    }

    private KafkaDeadLetters connect(int maxDeadLetters) {
        KafkaDeadLetters deadLetters = KafkaDeadLetters.connect(connection, settings, MAX_MESSAGE_BYTES, redelivery,
                maxDeadLetters);
        toClose.add(deadLetters);
        return deadLetters;
    }

    private DeadLetter deadLetter(Instant lastFailedAt, String... subscriptions) {
        UUID id = UUID.randomUUID();
        return new DeadLetter(id, "parcel.shipped", List.of(subscriptions), 3,
                "java.lang.IllegalStateException: boom\n\tat Handler.handle(Handler.java:1)",
                lastFailedAt.minusSeconds(30), lastFailedAt, "{\"eventId\":\"" + id + "\",\"payload\":{}}");
    }

    /** Writes as a worker will: through the topic's own record, acknowledged by the cluster. */
    private DeadLetter write(DeadLetter deadLetter) {
        if (writer == null) {
            Map<String, Object> config = new HashMap<>(connection.clientProperties());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            Producer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                    new StringSerializer());
            toClose.add(producer);
            writer = new DeadLetterTopic(producer, settings, servers);
        }
        writer.write(deadLetter);
        return deadLetter;
    }

    private Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", servers));
    }

    private List<ConsumerRecord<String, String>> readRaw() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(settings.deadLetterTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
