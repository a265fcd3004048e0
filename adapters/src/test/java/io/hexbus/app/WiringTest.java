package io.hexbus.app;

import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.hexbus.adapters.guice.HandlerExecution;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The composition root tells the handler registry how this process runs handlers, from transport and mode. */
class WiringTest {

    private static HandlerExecution onRedis(TransportChoice transport, Mode mode) {
        return Wiring.handlerExecution(transport, QueueChoice.REDIS, mode);
    }

    @Test
    void inMemoryHandlersRunInThePublishersThreadInEveryMode() {
        assertEquals(HandlerExecution.IN_PUBLISHER_THREAD, onRedis(TransportChoice.IN_MEMORY, Mode.ALL));
        assertEquals(HandlerExecution.IN_PUBLISHER_THREAD, onRedis(TransportChoice.IN_MEMORY, Mode.API));
    }

    @Test
    void onTheQueueWorkersRunThemExceptInApiModeWhichOnlyPublishes() {
        assertEquals(HandlerExecution.BY_QUEUE_WORKERS, onRedis(TransportChoice.QUEUE, Mode.ALL));
        assertEquals(HandlerExecution.BY_QUEUE_WORKERS, onRedis(TransportChoice.QUEUE, Mode.WORKER));
        assertEquals(HandlerExecution.ELSEWHERE, onRedis(TransportChoice.QUEUE, Mode.API));
    }

    @Test
    void theInjectorCarriesThatChoiceOverTheTransportModulesDefault() {
        AppConfig api = AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_MODE", "api"));
        AppConfig worker = AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_MODE", "worker"));
        Key<Optional<HandlerExecution>> key = Key.get(new TypeLiteral<>() { });

        assertEquals(Optional.of(HandlerExecution.ELSEWHERE), Wiring.injector(api, List.of()).getInstance(key));
        assertEquals(Optional.of(HandlerExecution.BY_QUEUE_WORKERS), Wiring.injector(worker, List.of()).getInstance(key));
    }

    @Test
    void theNoneTransportRunsNoHandlerInAnyModeAndIsTheQueuedTransportTheAppGets() {
        for (Mode mode : Mode.values()) {
            assertEquals(HandlerExecution.NEVER,
                    Wiring.handlerExecution(TransportChoice.QUEUE, QueueChoice.NONE, mode));
        }
        AppConfig none = AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "none"));
        com.google.inject.Injector injector = Wiring.injector(none, List.of());

        io.hexbus.api.transport.QueuedTransport transport =
                injector.getInstance(io.hexbus.api.transport.QueuedTransport.class);
        assertEquals("none", transport.name());
        assertSame(transport.eventBus(), injector.getInstance(io.hexbus.api.publishing.EventBus.class));
        assertSame(transport.admin(), injector.getInstance(io.hexbus.api.admin.QueueAdmin.class));
        assertEquals(Optional.of(HandlerExecution.NEVER),
                injector.getInstance(Key.get(new TypeLiteral<Optional<HandlerExecution>>() { })));
    }

    @Test
    void kafkaIsRunByQueueWorkersExceptInApiModeAndIsTheQueuedTransportBoundWithoutConnecting() {
        assertEquals(HandlerExecution.BY_QUEUE_WORKERS,
                Wiring.handlerExecution(TransportChoice.QUEUE, QueueChoice.KAFKA, Mode.ALL));
        assertEquals(HandlerExecution.BY_QUEUE_WORKERS,
                Wiring.handlerExecution(TransportChoice.QUEUE, QueueChoice.KAFKA, Mode.WORKER));
        assertEquals(HandlerExecution.ELSEWHERE,
                Wiring.handlerExecution(TransportChoice.QUEUE, QueueChoice.KAFKA, Mode.API));
        // Nothing listens there: creating the injector must not connect.
        AppConfig kafka = AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "kafka",
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"));
        com.google.inject.Injector injector = Wiring.injector(kafka, List.of());

        assertEquals(io.hexbus.kafka.KafkaTransport.class, linkedTarget(injector));
        assertEquals(Optional.of(HandlerExecution.BY_QUEUE_WORKERS),
                injector.getInstance(Key.get(new TypeLiteral<Optional<HandlerExecution>>() { })));
    }

    @Test
    void rabbitIsRunByQueueWorkersExceptInApiModeAndIsTheQueuedTransportBoundWithoutConnecting() {
        assertEquals(HandlerExecution.BY_QUEUE_WORKERS,
                Wiring.handlerExecution(TransportChoice.QUEUE, QueueChoice.RABBITMQ, Mode.ALL));
        assertEquals(HandlerExecution.BY_QUEUE_WORKERS,
                Wiring.handlerExecution(TransportChoice.QUEUE, QueueChoice.RABBITMQ, Mode.WORKER));
        assertEquals(HandlerExecution.ELSEWHERE,
                Wiring.handlerExecution(TransportChoice.QUEUE, QueueChoice.RABBITMQ, Mode.API));
        // Nothing listens there: creating the injector must not connect.
        AppConfig rabbit = AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "rabbitmq",
                "RABBITMQ_URL", "amqp://127.0.0.1:1"));
        com.google.inject.Injector injector = Wiring.injector(rabbit, List.of());

        assertEquals(io.hexbus.rabbitmq.RabbitTransport.class, linkedTarget(injector));
        assertEquals(Optional.of(HandlerExecution.BY_QUEUE_WORKERS),
                injector.getInstance(Key.get(new TypeLiteral<Optional<HandlerExecution>>() { })));
    }

    private static Class<?> linkedTarget(com.google.inject.Injector injector) {
        com.google.inject.Binding<?> binding = injector.getBinding(io.hexbus.api.transport.QueuedTransport.class);
        return ((com.google.inject.spi.LinkedKeyBinding<?>) binding).getLinkedKey().getTypeLiteral().getRawType();
    }
}
