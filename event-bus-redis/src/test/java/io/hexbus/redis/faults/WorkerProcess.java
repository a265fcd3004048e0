package io.hexbus.redis.faults;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.testing.RawRedis;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A worker JVM for fault tests. Its one handler records in Redis that it started
 * ({@code runs:<orderId>}), works for {@code workMillis}, then applies its side effect
 * ({@code effects:<orderId>}), so that a test can tell a run that was cut short from one that finished.
 *
 * <p>Arguments: port, key prefix, visibility timeout (ms), work (ms). Prints {@code READY} when consuming.
 */
public final class WorkerProcess {

    /** The event the fault tests publish. */
    @EventName("faults.shipment-requested")
    public record ShipmentRequested(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId)
            implements DomainEvent {
    }

    private WorkerProcess() {
    }

    /**
     * @param args port, key prefix, visibility timeout in ms, work in ms
     */
    public static void main(String[] args) throws InterruptedException {
        RedisConnectionSettings redis = new RedisConnectionSettings("127.0.0.1", Integer.parseInt(args[0]), false,
                null, null, 0);
        String prefix = args[1];
        Duration visibility = Duration.ofMillis(Long.parseLong(args[2]));
        long workMillis = Long.parseLong(args[3]);
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        RawRedis raw = RawRedis.to(redis);
        processor.register(ShipmentRequested.class, "ship", (ShipmentRequested e) -> {
            raw.commands().incr(prefix + ":test:runs:" + e.orderId());
            long until = System.nanoTime() + workMillis * 1_000_000;
            while (System.nanoTime() < until) {
                Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000)); // the work itself
            }
            raw.commands().incr(prefix + ":test:effects:" + e.orderId());
        });
        RedisTransport transport = RedisTransport.connect(redis, RedisQueueSettings.defaults("faults")
                .withKeyPrefix(prefix).withVisibilityTimeout(visibility), processor);
        transport.startWorker();
        System.out.println("READY");
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await(); // worker threads are daemons: stay until killed
    }
}
