package io.hexbus.opentelemetry;

import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.conformance.QueuedTransportUnderTest;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.api.transport.QueuedTransport;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.hexbus.opentelemetry.MessagingAttributes.ATTEMPT;
import static io.hexbus.opentelemetry.MessagingAttributes.MESSAGE_ID;
import static io.hexbus.opentelemetry.MessagingAttributes.SUBSCRIPTION;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One trace from {@code publish} across a real queue and a retry: the envelope carries the trace context, the
 * engine's worker runs each attempt in a span of that trace. Each broker's test class names its fixture.
 */
abstract class QueuedTransportTracing {

    private final TestTracing otel = new TestTracing();
    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final QueuedTransportUnderTest queue = queue();

    /** @return the broker under test, on names of this test's own */
    abstract QueuedTransportUnderTest queue();

    @AfterEach
    void close() {
        queue.close();
        otel.close();
    }

    @Test
    void eachAttemptIsASpanInThePublishersTraceAcrossTheQueueAndARetry() {
        HexbusTracing.install(otel.openTelemetry(), processor);
        AtomicInteger runs = new AtomicInteger();
        processor.register(OrderPlaced.class, "billing.invoice", event -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("the invoice service is down");
            }
        }, SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(3, Duration.ofMillis(50))));
        QueuedTransport transport = queue.connect(processor, QueueTestSettings.DEFAULTS);
        queue.startWorker(transport);
        OrderPlaced event = OrderPlaced.of("order-1");

        Span request = otel.startRequest();
        try (Scope ignored = request.makeCurrent()) {
            transport.eventBus().publish(event);
        } finally {
            request.end();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> otel.spans(SpanKind.CONSUMER).size() == 2);
        String trace = request.getSpanContext().getTraceId();
        SpanData created = otel.spans(SpanKind.PRODUCER).get(0);
        assertEquals(trace, created.getTraceId());
        List<SpanData> attempts = otel.spans(SpanKind.CONSUMER).stream()
                .sorted(Comparator.comparing(span -> span.getAttributes().get(ATTEMPT))).toList();
        assertEquals(List.of(1L, 2L), attempts.stream().map(span -> span.getAttributes().get(ATTEMPT)).toList());
        assertEquals(List.of(StatusCode.ERROR, StatusCode.UNSET),
                attempts.stream().map(span -> span.getStatus().getStatusCode()).toList());
        for (SpanData attempt : attempts) {
            assertEquals(trace, attempt.getTraceId(), "in the publisher's trace: " + attempt);
            assertEquals(created.getSpanId(), attempt.getParentSpanId());
            assertEquals(List.of(created.getSpanId()),
                    attempt.getLinks().stream().map(link -> link.getSpanContext().getSpanId()).toList());
            assertEquals("billing.invoice", attempt.getAttributes().get(SUBSCRIPTION));
            assertEquals(event.eventId().toString(), attempt.getAttributes().get(MESSAGE_ID));
        }
    }
}
