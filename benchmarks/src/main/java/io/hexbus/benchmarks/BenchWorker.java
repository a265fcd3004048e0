package io.hexbus.benchmarks;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.benchmarks.RedisHarness.BenchEvent;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker process for {@link RedisHarness}'s end-to-end figures: one {@link RedisTransport} worker with a
 * no-op handler on the harness's key prefix. Prints {@code ready} once consuming, and stops (gracefully) when
 * its standard input closes, which is how the harness ends it.
 *
 * <p>Arguments: Redis URL, key prefix, handler slots. Or, for the raw end-to-end ceiling, {@code raw}, Redis URL,
 * stream, group (existing), count, counter key: one consumer that reads {@code XREADGROUP COUNT <count> BLOCK 100}
 * and acknowledges each read with one {@code XACK} followed by {@code INCRBY <counter key> <entries>} (how the
 * harness sees they are done), both sent without waiting for the answer (the next read follows them on the same
 * connection); no decoding, no handler, no script.
 */
public final class BenchWorker {

    private BenchWorker() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args[0].equals("raw")) {
            raw(args[1], args[2], args[3], Integer.parseInt(args[4]), args[5]);
            return;
        }
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

    private static void raw(String url, String stream, String group, int count, String counter)
            throws IOException, InterruptedException {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> sync = connection.sync();
            RedisAsyncCommands<String, String> async = connection.async();
            Consumer<String> consumer = Consumer.from(group, "raw-" + ProcessHandle.current().pid());
            XReadArgs read = XReadArgs.Builder.count(count).block(100);
            XReadArgs.StreamOffset<String> next = XReadArgs.StreamOffset.lastConsumed(stream);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread reader = new Thread(() -> {
                while (running.get()) {
                    List<StreamMessage<String, String>> got = sync.xreadgroup(consumer, read, next);
                    if (!got.isEmpty()) {
                        async.xack(stream, group, got.stream().map(StreamMessage::getId).toArray(String[]::new));
                        async.incrby(counter, got.size());
                    }
                }
            }, "raw-consumer");
            reader.start();
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // the harness closes our standard input to stop us
            }
            running.set(false);
            reader.join();
        } finally {
            client.shutdown();
        }
    }
}
