package io.hexbus.adapters.http;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.codec.EventCodec;
import io.hexbus.rabbitmq.RabbitConnectionSettings;
import io.hexbus.rabbitmq.RabbitQueueSettings;
import io.hexbus.rabbitmq.RabbitTransport;
import io.hexbus.rabbitmq.RabbitWorkerSettings;
import io.hexbus.rabbitmq.testing.TestRabbit;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.hexbus.adapters.http.HttpTestClient.json;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP admin API over the shared test RabbitMQ, on a prefix of its own: the same requests and answers as on
 * Redis and Kafka. (A broker that cannot be reached: {@code io.hexbus.app.RabbitUnreachableThroughTheAppTest}.)
 */
class AdminHttpServerOnRabbitTest extends AdminHttpServerOnAQueue {

    private final RabbitQueueSettings settings = RabbitQueueSettings.defaults(GROUP)
            .withPrefix(TestRabbit.uniquePrefix()).withCommandTimeout(Duration.ofSeconds(5));

    @Override
    QueuedTransport connect(DomainEventsProcessor processor) {
        RabbitWorkerSettings workers = RabbitWorkerSettings.defaults().withEngine(RabbitWorkerSettings.defaults()
                .engine().withShutdownDeadline(Duration.ofSeconds(5)));
        return RabbitTransport.connect(RabbitConnectionSettings.parse(TestRabbit.url()), settings, workers, processor,
                EventCodec.of(processor.eventTypes()));
    }

    @Override
    void deleteData() {
        TestRabbit.deleteAll(settings.names());
    }

    @Override
    String transportName() {
        return "rabbitmq";
    }

    @Test
    void theHealthCheckNamesNoRedisOnRabbit() {
        assertTrue(json(http.send(http.request("/health"))).path("redisReachable").isNull());
    }
}
