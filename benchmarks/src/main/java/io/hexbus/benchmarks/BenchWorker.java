package io.hexbus.benchmarks;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.benchmarks.RedisHarness.BenchEvent;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;

import java.io.IOException;

/**
 * A worker process for {@link RedisHarness}'s end-to-end figures: one {@link RedisTransport} worker with a
 * no-op handler on the harness's key prefix. Prints {@code ready} once consuming, and stops (gracefully) when
 * its standard input closes, which is how the harness ends it.
 *
 * <p>Arguments: Redis URL, key prefix, handler slots.
 */
public final class BenchWorker {

    private BenchWorker() {
    }

    public static void main(String[] args) throws IOException {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.register(BenchEvent.class, "bench.noop", (BenchEvent e) -> { });
        RedisQueueSettings settings = RedisQueueSettings.defaults("bench").withKeyPrefix(args[1])
                .withConcurrency(Integer.parseInt(args[2]));
        try (RedisTransport transport = RedisTransport.connect(RedisConnectionSettings.fromUrl(args[0]), settings,
                processor)) {
            transport.startWorker();
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // the harness closes our standard input to stop us
            }
        }
    }
}
