package io.hexbus.benchmarks;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.benchmarks.RedisHarness.BenchEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.kafka.KafkaConnectionSettings;
import io.hexbus.kafka.KafkaQueueSettings;
import io.hexbus.kafka.KafkaTransport;
import io.hexbus.kafka.KafkaWorkerSettings;

import java.io.IOException;

/**
 * A worker process for {@link KafkaHarness}'s end-to-end figures: one {@link KafkaTransport} worker (a consumer of
 * the group) with a no-op handler, on the harness's topics. Prints {@code ready} once its worker started, and stops
 * (gracefully) when its standard input closes, which is how the harness ends it.
 *
 * <p>Arguments: bootstrap servers, topic prefix, group, handler slots, replication factor, min in-sync replicas.
 * {@code -Dbench.readAhead=N} (through the harness's {@code -Dbench.workerJvmArgs}) changes the engine's read-ahead
 * from Kafka's default ({@link KafkaWorkerSettings#DEFAULT_READ_AHEAD}).
 */
public final class KafkaBenchWorker {

    private KafkaBenchWorker() {
    }

    public static void main(String[] args) throws IOException {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.register(BenchEvent.class, "bench.noop", (BenchEvent e) -> { });
        KafkaQueueSettings settings = KafkaQueueSettings.defaults(args[2]).withTopicPrefix(args[1])
                .withReplication(Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        KafkaWorkerSettings worker = KafkaWorkerSettings.defaults()
                .withEngine(EngineSettings.defaults().withConcurrency(Integer.parseInt(args[3]))
                        // Read from the defaults, not the constant: javac inlines a constant, so a build that did not
                        // recompile this class would keep an older default.
                        .withReadAhead(Integer.getInteger("bench.readAhead",
                                KafkaWorkerSettings.defaults().engine().readAhead())));
        try (KafkaTransport transport = KafkaTransport.connect(KafkaConnectionSettings.parse(args[0]), settings, worker,
                processor, EventCodec.of(processor.eventTypes()))) {
            transport.startWorker();
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // the harness closes our standard input to stop us
            }
        }
    }
}
