package io.hexbus.redis.faults;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RateLimit;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.faults.WorkerProcess.ShipmentRequested;
import io.hexbus.redis.testing.RawRedis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A worker JVM for {@link RateLimitAcrossProcessesTest}: one subscription, {@code "call-carrier"}, limited to
 * {@code runs} per {@code perMillis}, with one handler slot. Each run appends {@code <Redis TIME in µs> <tag>
 * <orderId>} to {@code <prefix>:test:starts} when it starts, then works for {@code workMillis}, so that while one
 * process works the other takes the next event.
 *
 * <p>Arguments: port, key prefix, runs, per (ms), work (ms), this process's tag. Prints {@code READY} when
 * consuming, and stays until it is stopped.
 */
public final class RateLimitedWorkerProcess {

    private RateLimitedWorkerProcess() {
    }

    /**
     * @param args port, key prefix, runs, per in ms, work in ms, tag
     */
    public static void main(String[] args) throws InterruptedException {
        RedisConnectionSettings redis = new RedisConnectionSettings("127.0.0.1", Integer.parseInt(args[0]), false,
                null, null, 0);
        String prefix = args[1];
        RateLimit limit = RateLimit.of(Integer.parseInt(args[2]), Duration.ofMillis(Long.parseLong(args[3])));
        long workMillis = Long.parseLong(args[4]);
        String tag = args[5];
        RawRedis raw = RawRedis.to(redis);
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.register(ShipmentRequested.class, "call-carrier", (ShipmentRequested e) -> {
            List<String> time = raw.commands().time();
            long micros = Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));
            raw.commands().rpush(prefix + ":test:starts", micros + " " + tag + " " + e.orderId());
            Thread.sleep(workMillis); // the call to the rate-limited API
        }, SubscriptionOptions.DEFAULT.withRateLimit(limit));
        RedisTransport.connect(redis, RedisQueueSettings.defaults("rate-limited").withKeyPrefix(prefix)
                .withConcurrency(1).withBatchSize(1), processor).startWorker();
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await(); // worker threads are daemons: stay until stopped
    }
}
