package io.hexbus.redis.faults;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.testing.RawRedis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A worker JVM for fault tests. Its one handler records in Redis that it started
 * ({@code runs:<orderId>}), works for {@code workMillis}, then applies its side effect
 * ({@code effects:<orderId>}), so that a test can tell a run that was cut short from one that finished.
 *
 * <p>Arguments: port, key prefix, visibility timeout (ms), work (ms), and optionally {@code fail-first}: the
 * first attempt on each event then fails, and the retry follows after 500 ms. Every attempt's start is
 * recorded on the Redis clock ({@code attempts:<orderId>}). Prints {@code READY} when consuming.
 */
public final class WorkerProcess {

    /** The event the fault tests publish. */
    @EventName("faults.shipment-requested")
    public record ShipmentRequested(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId)
            implements DomainEvent {
    }

    private WorkerProcess() {
    }

    private static void recordSurely(Runnable write) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (io.lettuce.core.RedisException cut) {
                if (attempt == 200) {
                    throw cut;
                }
                Thread.sleep(25); // wait for the reconnect
            }
        }
    }

    /**
     * @param args port, key prefix, visibility timeout in ms, work in ms, optionally {@code fail-first}
     */
    public static void main(String[] args) throws InterruptedException {
        RedisConnectionSettings redis = new RedisConnectionSettings("127.0.0.1", Integer.parseInt(args[0]), false,
                null, null, 0);
        String prefix = args[1];
        Duration visibility = Duration.ofMillis(Long.parseLong(args[2]));
        long workMillis = Long.parseLong(args[3]);
        boolean failFirst = args.length > 4 && args[4].equals("fail-first");
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        boolean chaos = Boolean.getBoolean("chaos");
        RawRedis raw = chaos ? startSurely(() -> RawRedis.to(redis)) : RawRedis.to(redis);
        if (!Boolean.getBoolean("chaos")) {
            processor.register(ShipmentRequested.class, "ship", (ShipmentRequested e) -> {
                List<String> time = raw.commands().time();
                raw.commands().rpush(prefix + ":test:attempts:" + e.orderId(),
                        Long.toString(Long.parseLong(time.get(0)) * 1_000 + Long.parseLong(time.get(1)) / 1_000));
                if (raw.commands().incr(prefix + ":test:runs:" + e.orderId()) == 1 && failFirst) {
                    throw new IllegalStateException("first attempt fails on purpose");
                }
                long until = System.nanoTime() + workMillis * 1_000_000;
                while (System.nanoTime() < until) {
                    Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000)); // the work itself
                }
                raw.commands().incr(prefix + ":test:effects:" + e.orderId());
            }, SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(3, Duration.ofMillis(500))));
        }
        RedisQueueSettings settings = RedisQueueSettings.defaults("faults").withKeyPrefix(prefix)
                .withVisibilityTimeout(visibility);
        if (Boolean.getBoolean("chaos")) {
            // Two subscriptions that record each id in a set (a re-run adds nothing) and count every run, and
            // short retention so that the test can see memory come back.
            for (String subscription : List.of("chaos.ship", "chaos.bill")) {
                processor.register(ShipmentRequested.class, subscription, (ShipmentRequested e) -> {
                    // The test cuts every connection, this bookkeeping one too: a cut is not the handler's
                    // failure, so record until Redis takes it (SADD is idempotent; the run count is a lower bound).
                    recordSurely(() -> raw.commands().incr(prefix + ":test:runs"));
                    recordSurely(() -> raw.commands().sadd(prefix + ":test:handled:" + subscription, e.orderId()));
                });
            }
            settings = settings.withConcurrency(2).withKeepFinished(100, Duration.ofSeconds(1))
                    .withMaintenanceInterval(Duration.ofMillis(500));
        }
        RedisQueueSettings chosen = settings;
        if (chaos) {
            // The chaos test cuts every connection every 2 s, this process's too while it starts: like a process
            // manager restarting a worker that failed to start, try again until it runs.
            startSurely(() -> {
                RedisTransport transport = RedisTransport.connect(redis, chosen, processor);
                try {
                    return transport.startWorker();
                } catch (RuntimeException e) {
                    transport.close();
                    throw e;
                }
            });
        } else {
            RedisTransport.connect(redis, chosen, processor).startWorker();
        }
        System.out.println("READY");
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await(); // worker threads are daemons: stay until killed
    }

    /** Runs a start step until it succeeds, for at most a minute, as a process manager would restart it. */
    private static <T> T startSurely(java.util.function.Supplier<T> step) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        while (true) {
            try {
                return step.get();
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                System.err.println("start failed, trying again: " + e); // a CLI main: its output is the test log
                Thread.sleep(200);
            }
        }
    }
}
