package io.hexbus.opentelemetry;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.HandlerRun;
import io.hexbus.api.handling.Tracing;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.inmemory.InMemoryEventBus;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.hexbus.opentelemetry.MessagingAttributes.ATTEMPT;
import static io.hexbus.opentelemetry.MessagingAttributes.DESTINATION;
import static io.hexbus.opentelemetry.MessagingAttributes.ERROR_TYPE;
import static io.hexbus.opentelemetry.MessagingAttributes.MESSAGE_ID;
import static io.hexbus.opentelemetry.MessagingAttributes.MESSAGING_SYSTEM;
import static io.hexbus.opentelemetry.MessagingAttributes.OPERATION_TYPE;
import static io.hexbus.opentelemetry.MessagingAttributes.SUBSCRIPTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spans of the in-memory bus, recorded by the OpenTelemetry SDK's in-memory exporter. */
class InMemoryTracingTest {

    private final TestTracing otel = new TestTracing();
    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final InMemoryEventBus bus = new InMemoryEventBus(processor);

    @AfterEach
    void close() {
        bus.close();
        otel.close();
    }

    @Test
    void aPublishInsideARequestIsOneTraceToEveryHandler() {
        HexbusTracing.install(otel.openTelemetry(), processor);
        processor.register(OrderPlaced.class, "billing.invoice", event -> { });
        processor.register(OrderPlaced.class, "mail.confirmation", event -> { });
        OrderPlaced event = OrderPlaced.of("order-1");

        Span request = otel.startRequest();
        try (Scope ignored = request.makeCurrent()) {
            bus.publish(event);
        } finally {
            request.end();
        }

        Set<String> traces = otel.spans().stream().map(SpanData::getTraceId).collect(Collectors.toSet());
        assertEquals(Set.of(request.getSpanContext().getTraceId()), traces, "one trace: " + otel.spans());
        SpanData created = otel.spans(SpanKind.PRODUCER).get(0);
        assertEquals("create " + OrderPlaced.NAME, created.getName());
        assertEquals(request.getSpanContext().getSpanId(), created.getParentSpanId());
        assertEquals("create", created.getAttributes().get(OPERATION_TYPE));
        List<SpanData> handled = otel.spans(SpanKind.CONSUMER);
        assertEquals(List.of("billing.invoice", "mail.confirmation"),
                handled.stream().map(span -> span.getAttributes().get(SUBSCRIPTION)).toList());
        for (SpanData span : handled) {
            assertEquals("process " + OrderPlaced.NAME, span.getName());
            assertEquals(created.getSpanId(), span.getParentSpanId(), "a child of the publish");
            assertEquals(List.of(created.getSpanId()),
                    span.getLinks().stream().map(link -> link.getSpanContext().getSpanId()).toList(),
                    "linked to the publish");
            assertEquals("hexbus", span.getAttributes().get(MESSAGING_SYSTEM));
            assertEquals("process", span.getAttributes().get(OPERATION_TYPE));
            assertEquals(OrderPlaced.NAME, span.getAttributes().get(DESTINATION));
            assertEquals(event.eventId().toString(), span.getAttributes().get(MESSAGE_ID));
            assertEquals(1L, span.getAttributes().get(ATTEMPT));
            assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
        }
    }

    @Test
    void aFailedHandlerRunHasStatusErrorAndItsExceptionRecorded() {
        HexbusTracing.install(otel.openTelemetry(), processor);
        processor.register(OrderPlaced.class, "billing.invoice", event -> {
            throw new IllegalStateException("no invoice number left");
        });

        assertThrows(EventHandlingException.class, () -> bus.publish(OrderPlaced.of("order-2")));

        SpanData failed = otel.spans(SpanKind.CONSUMER).get(0);
        assertEquals(StatusCode.ERROR, failed.getStatus().getStatusCode());
        assertEquals(IllegalStateException.class.getName(), failed.getAttributes().get(ERROR_TYPE));
        assertTrue(failed.getEvents().stream().anyMatch(e -> e.getName().equals("exception")),
                "the exception is recorded: " + failed.getEvents());
    }

    @Test
    void anEventPublishedByAHandlerContinuesTheTraceFromThatHandlersSpan() {
        HexbusTracing.install(otel.openTelemetry(), processor);
        processor.register(OrderPlaced.class, "orders.follow-up", event -> {
            if (event.orderId().equals("order-3")) {
                bus.publish(OrderPlaced.of("order-3-follow-up"));
            }
        });

        bus.publish(OrderPlaced.of("order-3")); // no request span: the publish starts the trace

        List<SpanData> handled = otel.spans(SpanKind.CONSUMER);
        assertEquals(2, handled.size(), otel.spans().toString());
        assertEquals(1, otel.spans().stream().map(SpanData::getTraceId).distinct().count(), otel.spans().toString());
        SpanData first = handled.stream().filter(s -> s.getParentSpanId().equals(otel.spans(SpanKind.PRODUCER)
                .get(0).getSpanId())).findFirst().orElseThrow();
        SpanData followUpCreated = otel.spans(SpanKind.PRODUCER).get(1);
        assertEquals(first.getSpanId(), followUpCreated.getParentSpanId(),
                "the follow-up is created inside the first handler's span, although it runs after it");
    }

    @Test
    void theTracingSeesEveryHandlerRunWithItsEventAndAttempt() {
        List<HandlerRun> runs = new ArrayList<>();
        processor.useTracing(new Tracing() {
            @Override
            public void handle(HandlerRun run, HandlerInvocation invocation) throws Exception {
                runs.add(run);
                invocation.proceed();
            }
        });
        processor.register(OrderPlaced.class, "billing.invoice", event -> { });
        OrderPlaced event = OrderPlaced.of("order-4");

        bus.publish(event);

        assertEquals(1, runs.size());
        assertEquals(event, runs.get(0).event());
        assertEquals("billing.invoice", runs.get(0).subscription().name());
        assertEquals(1, runs.get(0).attempt());
        assertNull(runs.get(0).traceContext(), "this tracing gave no trace context at publish");
    }

    @Test
    void withoutAnSdkHandlersRunAndNothingIsCarried() {
        HexbusTracing tracing = HexbusTracing.install(OpenTelemetry.noop(), processor);
        List<String> handled = new ArrayList<>();
        processor.register(OrderPlaced.class, "billing.invoice", event -> handled.add(event.orderId()));

        bus.publish(OrderPlaced.of("order-5"));

        assertEquals(List.of("order-5"), handled);
        assertFalse(tracing.publishing(OrderPlaced.NAME, OrderPlaced.of("order-6")).isPresent());
    }

    @Test
    void aSecondTracingIsRefused() {
        HexbusTracing.install(otel.openTelemetry(), processor);

        assertThrows(IllegalStateException.class, () -> HexbusTracing.install(otel.openTelemetry(), processor));
    }
}
