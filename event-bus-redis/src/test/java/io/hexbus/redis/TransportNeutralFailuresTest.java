package io.hexbus.redis;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.redis.testing.RawRedis;
import io.hexbus.redis.testing.RedisServerProcess;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis's failures surface as the API's transport-neutral exceptions, on a private Redis the test pauses or
 * stops: a command past its timeout is a {@link TransportTimeoutException} (the cause of the publish's
 * {@link EventPublishingException}, or thrown by the admin), a Redis that cannot be used a
 * {@link RedisUnavailableException}, which is a {@link TransportUnavailableException}.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class TransportNeutralFailuresTest {

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());

    TransportNeutralFailuresTest() {
        processor.eventTypes().register(OrderPlaced.class);
    }

    private RedisTransport connect(RedisServerProcess server) {
        return RedisTransport.connect(server.connection(), RedisQueueSettings.defaults("neutral")
                .withCommandTimeout(Duration.ofMillis(500)), processor);
    }

    @Test
    void aRedisThatDoesNotAnswerInTimeIsATransportTimeout() {
        try (RedisServerProcess server = TestRedis.startPrivate();
             RedisTransport transport = connect(server);
             RawRedis raw = RawRedis.to(server.connection())) {
            raw.commands().clientPause(10_000);

            EventPublishingException publish = assertThrows(EventPublishingException.class,
                    () -> transport.eventBus().publish(OrderPlaced.of("o-1")));
            TransportTimeoutException admin = assertThrows(TransportTimeoutException.class,
                    () -> transport.admin().stats());

            TransportTimeoutException cause = assertInstanceOf(TransportTimeoutException.class, publish.getCause());
            assertTrue(cause.getMessage().startsWith("could not publish 1 event(s) to Redis at"), cause.getMessage());
            assertTrue(admin.getMessage().startsWith("queue admin of group 'neutral': Redis did not answer in time"),
                    admin.getMessage());
        }
    }

    @Test
    void aRedisThatCannotBeUsedIsUnavailableOnEveryPath() throws Exception {
        try (RedisServerProcess server = TestRedis.startPrivate();
             RedisTransport transport = connect(server)) {
            QueuedTransport port = transport;
            server.stop();

            EventPublishingException publish = assertThrows(EventPublishingException.class,
                    () -> port.eventBus().publish(OrderPlaced.of("o-1")));
            assertInstanceOf(RedisUnavailableException.class, publish.getCause());
            TransportUnavailableException admin = assertThrows(TransportUnavailableException.class,
                    () -> port.admin().stats());
            assertInstanceOf(RedisUnavailableException.class, admin);
            assertThrows(TransportUnavailableException.class, port::startWorker);
            assertEquals("redis", port.name());
        }
    }

    @Test
    void aClosedTransportsBusAndAdminFailAsUnavailableNotWithTheClientsOwnError() {
        try (RedisServerProcess server = TestRedis.startPrivate()) {
            RedisTransport transport = connect(server);
            transport.close();

            EventPublishingException publish = assertThrows(EventPublishingException.class,
                    () -> transport.eventBus().publish(OrderPlaced.of("o-1")));
            assertInstanceOf(RedisUnavailableException.class, publish.getCause());
            RedisUnavailableException admin = assertThrows(RedisUnavailableException.class,
                    () -> transport.admin().stats());
            assertEquals("queue admin of group 'neutral': its Redis transport is closed", admin.getMessage());
            assertThrows(IllegalStateException.class, transport::startWorker);
        }
    }
}
