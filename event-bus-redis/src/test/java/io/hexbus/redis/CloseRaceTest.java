package io.hexbus.redis;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.codec.EventCodec;
import io.hexbus.redis.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publish or an admin call that finds the transport open, and then meets the client as {@link RedisTransport#close()}
 * shuts it down, fails as unavailable, not with the shut-down client's own error (Netty's IllegalStateException).
 * The race is made deterministic by the check itself: the transport closes its connection and client, as its close
 * does, when the call asks whether it is closed, and answers "not yet".
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class CloseRaceTest {

    private final DomainEventsProcessor processor = new DomainEventsProcessor(
            new EventTypeRegistry().register(OrderPlaced.class));
    private final RedisQueueSettings settings = RedisQueueSettings.defaults("close-race")
            .withKeyPrefix("hexbus-test:{" + UUID.randomUUID() + "}");
    private final ClientResources resources = RedisTransport.newResources();
    private final RedisClient client = RedisTransport.newClient(resources, TestRedis.shared(), settings);
    private final StatefulRedisConnection<String, String> shared = client.connect();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Closes as the transport does the first time it is asked, then reports closed. */
    private final RedisFailures closesRightAfterTheCheck = new RedisFailures(() -> {
        if (closed.compareAndSet(false, true)) {
            shared.close();
            RedisTransport.shutDown(client, resources);
            return false;
        }
        return true;
    });

    @AfterEach
    void shutDown() {
        if (closed.compareAndSet(false, true)) {
            shared.close();
            RedisTransport.shutDown(client, resources);
        }
    }

    @Test
    void aPublishThatMeetsTheClosingClientFailsAsUnavailable() {
        RedisEventBus bus = new RedisEventBus(new ScriptRunner(shared.sync()), keys(),
                EventCodec.of(processor.eventTypes()), settings, "redis://test", Clock.systemUTC(), processor,
                closesRightAfterTheCheck);

        EventPublishingException thrown = assertThrows(EventPublishingException.class,
                () -> bus.publish(OrderPlaced.of("o-1")));

        RedisUnavailableException cause = assertInstanceOf(RedisUnavailableException.class, thrown.getCause());
        assertEquals("could not publish 1 event(s) to Redis at redis://test: its Redis transport is closed",
                cause.getMessage());
        assertTrue(closed.get(), "the client was shut down between the check and the command");
    }

    @Test
    void anAdminCallThatMeetsTheClosingClientFailsAsUnavailable() {
        RedisQueueAdmin admin = new RedisQueueAdmin(shared.sync(), new ScriptRunner(shared.sync()), keys(), settings,
                closesRightAfterTheCheck, name -> List.of());

        RedisUnavailableException thrown = assertThrows(RedisUnavailableException.class, admin::stats);

        assertEquals("queue admin of group 'close-race': its Redis transport is closed", thrown.getMessage());
        assertTrue(closed.get(), "the client was shut down between the check and the command");
    }

    private Keys keys() {
        return new Keys(settings.keyPrefix(), settings.group());
    }
}
