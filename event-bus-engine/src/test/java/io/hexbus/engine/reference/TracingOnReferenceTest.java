package io.hexbus.engine.reference;

import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.HandlerRun;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.api.handling.TraceContext;
import io.hexbus.api.handling.Tracing;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineWorker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine hands the processor's {@link Tracing} each handler run with the trace context its envelope carried and
 * the attempt number its progress counts.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class TracingOnReferenceTest {

    private static final TraceContext PUBLISHED = new TraceContext(
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=opaque");

    private final ReferenceQueue queue = new ReferenceQueue("tracing-test", Clock.systemUTC(), Duration.ofDays(7));
    private final DomainEventsProcessor processor = new DomainEventsProcessor(
            new EventTypeRegistry().register(ParcelShipped.class));
    private final ReferenceTransport publisher = new ReferenceTransport(queue, processor,
            ReferenceTransport.testSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), 2));
    private final List<HandlerRun> runs = new CopyOnWriteArrayList<>();
    private EngineWorker worker;

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
        publisher.close();
    }

    @Test
    void eachAttemptIsWrappedWithItsNumberAndThePublishersTraceContext() {
        processor.useTracing(new Tracing() {
            @Override
            public Optional<TraceContext> publishing(String eventName, DomainEvent event) {
                return Optional.of(PUBLISHED);
            }

            @Override
            public void handle(HandlerRun run, HandlerInvocation invocation) throws Exception {
                runs.add(run);
                invocation.proceed();
            }
        });
        AtomicInteger flakyRuns = new AtomicInteger();
        processor.register(ParcelShipped.class, "steady", (ParcelShipped e) -> { });
        processor.register(ParcelShipped.class, "flaky", (ParcelShipped e) -> {
            if (flakyRuns.incrementAndGet() == 1) {
                throw new IllegalStateException("first try fails");
            }
        }, SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(50))));
        ReferenceBackend backend = new ReferenceBackend(queue, queue.newWorkerName(), Duration.ofSeconds(5));
        worker = new EngineWorker(backend, new ReferenceEnvelopeReader(EventCodec.of(processor.eventTypes())),
                processor, ReferenceTransport.testSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), 2),
                backend.worker());
        worker.start();

        publisher.eventBus().publish(ContractEvents.shipped(1));

        await().atMost(Duration.ofSeconds(30)).until(() -> queue.stats().completed() == 1);
        assertEquals(List.of("steady 1", "flaky 1", "flaky 2"),
                runs.stream().map(run -> run.subscription().name() + " " + run.attempt()).toList());
        assertEquals(List.of(PUBLISHED, PUBLISHED, PUBLISHED), runs.stream().map(HandlerRun::traceContext).toList());
    }
}
