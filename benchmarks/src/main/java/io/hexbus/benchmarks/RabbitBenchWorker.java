package io.hexbus.benchmarks;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.benchmarks.RedisHarness.BenchEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.rabbitmq.RabbitConnectionSettings;
import io.hexbus.rabbitmq.RabbitQueueSettings;
import io.hexbus.rabbitmq.RabbitTransport;
import io.hexbus.rabbitmq.RabbitWorkerSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * A worker process for {@link RabbitHarness}'s end-to-end figures: one {@link RabbitTransport} worker with a no-op
 * handler on the harness's queues. Prints {@code ready} once its worker started, then answers each line of its
 * standard input with one line, and stops (gracefully) when its standard input closes:
 *
 * <ul>
 *   <li>{@code hold}: from now on the handler waits at a gate before it returns (what the harness publishes stays
 *       in the queue, but for the deliveries the worker already holds: its prefetch); answers {@code ok};</li>
 *   <li>{@code go}: opens the gate; answers {@code ok};</li>
 *   <li>{@code count}: answers how many events the handler has handled since the start.</li>
 * </ul>
 *
 * <p>Counting in the handler, asked over a pipe, does not load the broker as polling the statistics would (a
 * {@code stats()} reads the whole statistics stream). The handler returns just before the worker settles the
 * event (its ledger settle and acknowledgement), so a count is ahead of {@code completed} by the last batch's
 * settle; the harness checks {@code completed} after each timed phase.
 *
 * <p>Arguments: the broker's {@code amqp://} URI, the bus's prefix, the group, handler slots, read-ahead.
 */
public final class RabbitBenchWorker {

    private RabbitBenchWorker() {
    }

    public static void main(String[] args) throws IOException {
        Gate gate = new Gate();
        LongAdder handled = new LongAdder();
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        // A held handler waits while the harness publishes: a long timeout, well below the consumer timeout.
        processor.register(BenchEvent.class, "bench.noop", (BenchEvent e) -> {
            gate.pass();
            handled.increment();
        }, SubscriptionOptions.DEFAULT.withTimeout(Duration.ofMinutes(10)));
        RabbitQueueSettings settings = RabbitQueueSettings.defaults(args[2]).withPrefix(args[1]);
        RabbitWorkerSettings worker = RabbitWorkerSettings.defaults().withReadAhead(Integer.parseInt(args[4]));
        worker = worker.withEngine(worker.engine().withConcurrency(Integer.parseInt(args[3]))
                .withReadAhead(worker.readAhead()));
        try (RabbitTransport transport = RabbitTransport.connect(RabbitConnectionSettings.parse(args[0]), settings,
                worker, processor, EventCodec.of(processor.eventTypes()))) {
            transport.startWorker();
            System.out.println("ready");
            System.out.flush();
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String answer = switch (line) {
                    case "hold" -> {
                        gate.close();
                        yield "ok";
                    }
                    case "go" -> {
                        gate.open();
                        yield "ok";
                    }
                    case "count" -> Long.toString(handled.sum());
                    default -> "unknown request '" + line + "'";
                };
                System.out.println(answer);
                System.out.flush();
            }
            gate.open(); // the harness closed our standard input: a held handler must not hold up the shutdown
        }
    }

    /** Holds the handlers while closed. Thread-safe. */
    private static final class Gate {
        private volatile CountDownLatch latch = new CountDownLatch(0);

        void close() {
            if (latch.getCount() == 0) {
                latch = new CountDownLatch(1);
            }
        }

        void open() {
            latch.countDown();
        }

        void pass() throws InterruptedException {
            latch.await();
        }
    }
}
