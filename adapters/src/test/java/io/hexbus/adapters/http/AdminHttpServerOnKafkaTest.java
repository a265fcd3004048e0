package io.hexbus.adapters.http;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.kafka.KafkaConnectionSettings;
import io.hexbus.kafka.KafkaQueueSettings;
import io.hexbus.kafka.KafkaTransport;
import io.hexbus.kafka.KafkaWorkerSettings;
import io.hexbus.kafka.testing.KafkaTestTopics;
import io.hexbus.kafka.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.hexbus.adapters.http.HttpTestClient.json;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP admin API over the shared test Kafka, on a topic prefix of its own: the same requests and answers as on
 * Redis. (A cluster that cannot be reached: {@code io.hexbus.app.KafkaUnreachableThroughTheAppTest}.)
 */
class AdminHttpServerOnKafkaTest extends AdminHttpServerOnAQueue {

    private final String servers = TestKafka.shared();
    private final KafkaQueueSettings settings = KafkaQueueSettings.defaults(GROUP)
            .withTopicPrefix("hexbus-test." + UUID.randomUUID()).withPartitions(2).withReplication(1, 1)
            .withCommandTimeout(Duration.ofSeconds(5));

    @Override
    QueuedTransport connect(DomainEventsProcessor processor) {
        KafkaWorkerSettings workers = KafkaWorkerSettings.defaults()
                .withEngine(EngineSettings.defaults().withShutdownDeadline(Duration.ofSeconds(5)));
        return KafkaTransport.connect(KafkaConnectionSettings.parse(servers), settings, workers, processor,
                EventCodec.of(processor.eventTypes()));
    }

    @Override
    void deleteData() {
        KafkaTestTopics.deleteUnder(servers, settings.topicPrefix(), settings.group());
    }

    @Override
    String transportName() {
        return "kafka";
    }

    @Test
    void theHealthCheckNamesNoRedisOnKafka() {
        assertTrue(json(http.send(http.request("/health"))).path("redisReachable").isNull());
    }
}
