package io.hexbus.kafka;

import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.kafka.testing.KafkaQueueUnderTest;
import io.hexbus.kafka.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A retry record written twice (the reschedule's write tried again after its answer was lost) runs once: the copy
 * read after the other finished the event is stale, and dropped, so the subscription the first copy finished does
 * not run again.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KafkaRetryWrittenTwiceTest {

    private static final Duration BACKOFF = Duration.ofSeconds(5);

    private final DomainEventsProcessor processor = new DomainEventsProcessor(
            new EventTypeRegistry().register(ParcelShipped.class));
    private final KafkaQueueUnderTest queue = new KafkaQueueUnderTest();

    @AfterEach
    void close() {
        queue.close();
    }

    @Test
    void aRetryRecordWrittenTwiceRunsItsFailedSubscriptionOnce() {
        AtomicInteger steady = new AtomicInteger();
        AtomicInteger flaky = new AtomicInteger();
        processor.register(ParcelShipped.class, "steady", (ParcelShipped e) -> steady.incrementAndGet());
        processor.register(ParcelShipped.class, "flaky", (ParcelShipped e) -> {
            if (flaky.incrementAndGet() == 1) {
                throw new IllegalStateException("first try fails");
            }
        }, SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(2, BACKOFF)));
        QueuedTransport transport = queue.connect(processor, QueueTestSettings.DEFAULTS);
        queue.startWorker(transport);

        transport.eventBus().publish(ContractEvents.shipped(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> transport.admin().stats().retryScheduled() == 1);
        writeAgain(RetryTopics.topic(queue.settings(), RetryTiers.tierToWrite(BACKOFF.toMillis())));

        await().atMost(Duration.ofSeconds(60)).until(() -> transport.admin().stats().completed() == 1);
        queue.awaitIdle(Duration.ofSeconds(60));
        assertEquals(1, steady.get(), "done in the first round");
        assertEquals(2, flaky.get(), "its retry ran once, though written twice");
    }

    /** Reads the one retry record of a tier and writes it again, as it is: the reschedule's write tried again. */
    private static void writeAgain(String tier) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.shared(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer());
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.shared(), ProducerConfig.ACKS_CONFIG, "all"),
                     new StringSerializer(), new StringSerializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(tier)) {
                partitions.add(new TopicPartition(tier, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(found::add);
                return !found.isEmpty();
            });
            ConsumerRecord<String, String> retry = found.get(0);
            producer.send(new ProducerRecord<>(tier, retry.partition(), retry.key(), retry.value(), retry.headers()))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not write the retry again", e);
        }
    }
}
