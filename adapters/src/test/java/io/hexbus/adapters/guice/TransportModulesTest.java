package io.hexbus.adapters.guice;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.RedisUnavailableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;

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
    }
}
