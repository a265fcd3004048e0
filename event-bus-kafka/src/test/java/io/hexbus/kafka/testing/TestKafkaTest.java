package io.hexbus.kafka.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixture gives real brokers: the shared one takes records, topics and consumer groups through kafka-clients,
 * and a 3-node cluster keeps a 3-replica topic writable with {@code acks=all} when one node is killed (2 in sync),
 * and takes the node back when it restarts. Every topic is the test's own and deleted after it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TestKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<String> sharedTopics = new ArrayList<>();

    @AfterEach
    void deleteSharedTopics() throws Exception {
        if (!sharedTopics.isEmpty()) {
            try (Admin admin = admin(TestKafka.shared())) {
                deleteTopics(admin, sharedTopics);
            }
        }
    }

    @Test
    void aRecordProducedToTheSharedBrokerIsConsumedByAGroup() throws Exception {
        String servers = TestKafka.shared();
        String value = "order-placed-" + UUID.randomUUID();
        String group = "hexbus-test-" + UUID.randomUUID();
        try (Admin admin = admin(servers); KafkaProducer<String, String> producer = producer(servers)) {
            String topic = sharedTopic(admin, 1, (short) 1);

            RecordMetadata written = producer.send(new ProducerRecord<>(topic, "order-1", value))
                    .get(30, TimeUnit.SECONDS);

            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = consumer(servers, group)) {
                consumer.subscribe(List.of(topic));
                await().atMost(WAIT).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                    return !read.isEmpty();
                });
                consumer.commitSync();
            }

            assertEquals(1, read.size());
            assertEquals("order-1", read.get(0).key());
            assertEquals(value, read.get(0).value());
            assertEquals(written.offset(), read.get(0).offset());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertEquals(written.offset() + 1, committed.get(new TopicPartition(topic, 0)).offset());
            admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTopicCreatedWithTheAdminClientHasItsPartitionsAndCanBeDeleted() throws Exception {
        try (Admin admin = admin(TestKafka.shared())) {
            String topic = sharedTopic(admin, 3, (short) 1);

            // A new topic reaches the metadata a moment after its creation was acknowledged: described once known.
            TopicDescription description = await().atMost(WAIT).ignoreExceptions().until(() -> admin
                    .describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic),
                    d -> d != null);
            assertEquals(3, description.partitions().size());
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));

            deleteTopics(admin, List.of(topic));
            sharedTopics.remove(topic);
            await().atMost(WAIT).until(() -> !admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
        }
    }

    @Test
    void aThreeReplicaTopicTakesWritesWithOneOfThreeNodesKilledAndTheNodeComesBack() throws Exception {
        // Closed in reverse: the clients before the cluster.
        try (KafkaCluster cluster = TestKafka.cluster(3); Admin admin = admin(cluster.bootstrapServers());
             KafkaProducer<String, String> producer = producer(cluster.bootstrapServers());
             KafkaConsumer<String, String> consumer = consumer(cluster.bootstrapServers(), null)) {
            String topic = "hexbus-test-" + UUID.randomUUID();
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
            await().atMost(WAIT).ignoreExceptions().until(() -> inSync(admin, topic).size() == 3);
            assertEquals("2", CreatedTopics.config(admin, topic).get("min.insync.replicas").value());
            producer.send(new ProducerRecord<>(topic, "k", "before")).get(30, TimeUnit.SECONDS);

            // The partition's leader: the producer has to find the new one.
            int victim = partition(admin, topic).leader().id();
            cluster.kill(victim);
            assertFalse(cluster.isRunning(victim));
            await().atMost(WAIT).ignoreExceptions().until(() -> !inSync(admin, topic).contains(victim));

            producer.send(new ProducerRecord<>(topic, "k", "after")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertEquals(2, inSync(admin, topic).size());
            assertNotEquals(victim, partition(admin, topic).leader().id());
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                return values.size() >= 2;
            });
            assertEquals(List.of("before", "after"), values);

            cluster.restart(victim);
            assertTrue(cluster.isRunning(victim));
            await().atMost(WAIT).ignoreExceptions().until(() -> inSync(admin, topic).contains(victim));
            assertEquals(Set.of(1, 2, 3), admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                    .map(Node::id).collect(Collectors.toSet()));
            deleteTopics(admin, List.of(topic));
        }
    }

    private String sharedTopic(Admin admin, int partitions, short replicas) throws Exception {
        String topic = "hexbus-test-" + UUID.randomUUID();
        sharedTopics.add(topic);
        admin.createTopics(List.of(new NewTopic(topic, partitions, replicas))).all().get(30, TimeUnit.SECONDS);
        return topic;
    }

    /** Deletes the topics and waits until the cluster no longer lists them. */
    private static void deleteTopics(Admin admin, List<String> topics) throws Exception {
        admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .noneMatch(topics::contains));
    }

    private static TopicPartitionInfo partition(Admin admin, String topic)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                .partitions().get(0);
    }

    private static Set<Integer> inSync(Admin admin, String topic)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        return partition(admin, topic).isr().stream().map(Node::id).collect(Collectors.toSet());
    }

    private static Admin admin(String servers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers));
    }

    private static KafkaProducer<String, String> producer(String servers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000),
                new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String servers, String group) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
