package io.hexbus.adapters.guice;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.ProvisionException;
import com.google.inject.multibindings.OptionalBinder;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.inmemory.InMemoryEventBusSettings;
import io.hexbus.inmemory.testing.RecordingEventBus;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.RedisUnavailableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportModulesTest {

    @Test
    void theInMemoryModuleBindsOneInMemoryBusOverTheOneProcessor() {
        Injector injector = Guice.createInjector(new EventBusCoreModule(), new InMemoryTransportModule());

        assertInstanceOf(InMemoryEventBus.class, injector.getInstance(EventBus.class));
        assertSame(injector.getInstance(EventBus.class), injector.getInstance(EventBus.class));
        assertSame(injector.getInstance(DomainEventsProcessor.class),
                injector.getInstance(DomainEventsProcessor.class));
        assertTrue(injector.getInstance(HandlerRegistry.class).registerAll().isEmpty(), "no feature module, no handler");
    }

    @Test
    void theBusUseCasesGetIsTheTransportsOwnUnlessAnotherModuleSetsIt() {
        Injector alone = Guice.createInjector(new EventBusCoreModule(), new InMemoryTransportModule());
        assertSame(alone.getInstance(Key.get(EventBus.class, TransportBus.class)), alone.getInstance(EventBus.class));

        EventBus outbox = new RecordingEventBus();
        Injector overridden = Guice.createInjector(new EventBusCoreModule(), new InMemoryTransportModule(),
                binder -> OptionalBinder.newOptionalBinder(binder, EventBus.class).setBinding().toInstance(outbox));

        assertSame(outbox, overridden.getInstance(EventBus.class));
        assertInstanceOf(InMemoryEventBus.class, overridden.getInstance(Key.get(EventBus.class, TransportBus.class)));
    }

    @EventName("tests.blob")
    record Blob(UUID eventId, Instant occurredAt, String data) implements DomainEvent {
    }

    @Test
    void theInMemoryModuleTakesTheBusSettingsTheWireCheckIncluded() {
        Blob overTheLimit = new Blob(EventIds.newId(), Instant.now(), "x".repeat(2 * 1024 * 1024));
        EventBus checked = Guice.createInjector(new EventBusCoreModule(), new InMemoryTransportModule())
                .getInstance(EventBus.class);
        EventBus unchecked = Guice.createInjector(new EventBusCoreModule(),
                new InMemoryTransportModule(InMemoryEventBusSettings.DEFAULT.withWireCheck(false)))
                .getInstance(EventBus.class);

        assertThrows(EventTooLargeException.class, () -> checked.publish(overTheLimit));
        assertEquals(PublishOutcome.PUBLISHED, unchecked.publish(overTheLimit));
    }

    @Test
    void theRedisModuleReadsItsOwnSettingsFromTheConfiguration() {
        RedisTransportSettings settings = RedisTransportSettings.fromConfiguration(java.util.Map.of(
                "REDIS_URL", "redis://redis.internal:6380/2", "HEXBUS_QUEUE_GROUP", "billing",
                "HEXBUS_KEY_PREFIX", "billing:{events}", "HEXBUS_WORKER_CONCURRENCY", "8"),
                java.time.Duration.ofSeconds(5));

        assertEquals("redis://redis.internal:6380/2, group 'billing', keys billing:{events}", settings.describe());
        assertEquals(8, settings.queue().concurrency());
        assertEquals(java.time.Duration.ofSeconds(5), settings.queue().shutdownDeadline());
        assertEquals("REDIS_PORT='+1' is not allowed: use a whole number from 1 to 65535 (the Redis port; default"
                + " 6379)", assertThrows(IllegalArgumentException.class, () -> RedisTransportSettings
                .fromConfiguration(java.util.Map.of("REDIS_PORT", "+1"), java.time.Duration.ofSeconds(5)))
                .getMessage());
    }

    @Test
    void theRedisModuleDoesNoIoUntilTheBusIsNeededThenReportsAnUnreachableRedis() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RedisConnectionSettings nowhere = new RedisConnectionSettings("127.0.0.1", closedPort, false, null, null, 0);

        Injector injector = Guice.createInjector(new EventBusCoreModule(new SubscriptionSettings(Set.of(),
                RetryPolicy.NONE)), new RedisTransportModule(nowhere,
                RedisQueueSettings.defaults("tests")));

        ProvisionException failed = assertThrows(ProvisionException.class, () -> injector.getInstance(EventBus.class));
        assertInstanceOf(RedisUnavailableException.class, failed.getCause());
        assertTrue(failed.getCause().getMessage().startsWith("cannot use Redis at redis://127.0.0.1:" + closedPort
                + "/0"), failed.getCause().getMessage());
        assertThrows(ProvisionException.class, () -> injector.getInstance(QueueAdmin.class));
        assertThrows(ProvisionException.class, () -> injector.getInstance(RedisTransport.class));
        ProvisionException port = assertThrows(ProvisionException.class,
                () -> injector.getInstance(io.hexbus.api.transport.QueuedTransport.class));
        assertInstanceOf(io.hexbus.api.transport.TransportUnavailableException.class, port.getCause(),
                "the composition root catches the port's exception, not Redis's");
    }

    @Test
    void theNoDeliveryModuleBindsOneNoneTransportAsThePortItsBusAndItsAdmin() {
        Injector injector = Guice.createInjector(new EventBusCoreModule(), new NoDeliveryTransportModule());
        io.hexbus.api.transport.QueuedTransport transport =
                injector.getInstance(io.hexbus.api.transport.QueuedTransport.class);

        assertInstanceOf(io.hexbus.inmemory.NoDeliveryTransport.class, transport);
        assertSame(transport, injector.getInstance(io.hexbus.api.transport.QueuedTransport.class));
        assertSame(transport.eventBus(), injector.getInstance(EventBus.class));
        assertSame(transport.admin(), injector.getInstance(QueueAdmin.class));
        assertEquals(Optional.of(HandlerExecution.NEVER), handlerExecution(injector));
    }

    private static Optional<HandlerExecution> handlerExecution(Injector injector) {
        return injector.getInstance(Key.get(new TypeLiteral<Optional<HandlerExecution>>() { }));
    }

    @Test
    void eachTransportModuleSaysHowItRunsHandlersSoTheRegistryLogsWhatApplies() {
        RedisConnectionSettings anywhere = new RedisConnectionSettings("127.0.0.1", 6379, false, null, null, 0);

        assertEquals(Optional.of(HandlerExecution.IN_PUBLISHER_THREAD),
                handlerExecution(Guice.createInjector(new EventBusCoreModule(), new InMemoryTransportModule())));
        assertEquals(Optional.of(HandlerExecution.BY_QUEUE_WORKERS), handlerExecution(Guice.createInjector(
                new EventBusCoreModule(), new RedisTransportModule(anywhere, RedisQueueSettings.defaults("tests")))));
        assertEquals(Optional.empty(), handlerExecution(Guice.createInjector(new EventBusCoreModule())));
    }
}
