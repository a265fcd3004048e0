package io.hexbus.redis.faults;

import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.faults.WorkerProcess.ShipmentRequested;
import io.hexbus.redis.testing.RawRedis;

import java.time.Instant;
import java.util.UUID;

/**
 * A publisher JVM for fault tests: waits until the key {@code <prefix>:test:go} exists, publishes one event
 * with the given id, prints the outcome and exits. Arguments: port, key prefix, event id.
 */
public final class PublisherProcess {

    private PublisherProcess() {
    }

    /**
     * @param args port, key prefix, event id
     * @throws InterruptedException if interrupted while waiting for the start
     */
    public static void main(String[] args) throws InterruptedException {
        RedisConnectionSettings redis = new RedisConnectionSettings("127.0.0.1", Integer.parseInt(args[0]), false,
                null, null, 0);
        String prefix = args[1];
        ShipmentRequested event = new ShipmentRequested(UUID.fromString(args[2]), Instant.now(), EventMetadata.EMPTY,
                "same");
        try (RawRedis raw = RawRedis.to(redis);
             RedisTransport transport = RedisTransport.connect(redis, RedisQueueSettings.defaults("faults")
                     .withKeyPrefix(prefix), new DomainEventsProcessor(new EventTypeRegistry()))) {
            System.out.println("READY");
            System.out.flush();
            while (raw.commands().exists(prefix + ":test:go") == 0) {
                Thread.onSpinWait(); // both publishers leave this loop within a round trip of each other
            }
            PublishOutcome outcome = transport.eventBus().publish(event);
            System.out.println("OUTCOME " + outcome);
        }
    }
}
