package io.hexbus.opentelemetry;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.HandlerRun;
import io.hexbus.api.handling.TraceContext;
import io.hexbus.api.handling.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.util.Objects;
import java.util.Optional;

import static io.hexbus.opentelemetry.MessagingAttributes.ATTEMPT;
import static io.hexbus.opentelemetry.MessagingAttributes.CREATE;
import static io.hexbus.opentelemetry.MessagingAttributes.DESTINATION;
import static io.hexbus.opentelemetry.MessagingAttributes.ERROR_TYPE;
import static io.hexbus.opentelemetry.MessagingAttributes.MESSAGE_ID;
import static io.hexbus.opentelemetry.MessagingAttributes.MESSAGING_SYSTEM;
import static io.hexbus.opentelemetry.MessagingAttributes.OPERATION_NAME;
import static io.hexbus.opentelemetry.MessagingAttributes.OPERATION_TYPE;
import static io.hexbus.opentelemetry.MessagingAttributes.PROCESS;
import static io.hexbus.opentelemetry.MessagingAttributes.SUBSCRIPTION;
import static io.hexbus.opentelemetry.MessagingAttributes.SYSTEM;

/**
 * hexbus's {@link Tracing} with OpenTelemetry: one trace from {@code publish} to every handler run, on every
 * transport, across queues and retries. Install it once, at start-up, on the processor every transport uses:
 *
 * <pre>{@code
 * HexbusTracing.install(openTelemetry, processor);
 * }</pre>
 *
 * <ul>
 *   <li><b>Publish.</b> For each event a bus is about to publish, a PRODUCER span {@code create <event name>} is
 *       started as a child of the publisher's current span and ended at once (the messaging conventions' creation
 *       context: it marks the event's birth in the trace, and measures nothing). Its W3C trace context travels with
 *       the event: in the envelope's {@code trace} field on a queue, in memory on the in-memory bus.</li>
 *   <li><b>Handler run.</b> Each run of a subscription's handler is a CONSUMER span {@code process <event name>},
 *       child of that creation span (so it is in the publisher's trace) and linked to it, with the attempt number;
 *       it is current while the handler runs, so what the handler does (and publishes) is part of it. A failed run
 *       has status ERROR and the exception recorded; its retry is a new span with the next attempt, in the same
 *       trace. An event that carried no trace context gets a span child of the running thread's current context.</li>
 * </ul>
 *
 * <p>Depends on the OpenTelemetry API only: without an SDK it costs little and records nothing (a trace context
 * already current, as an agent propagates it, is carried all the same). Thread-safe.
 *
 * @since 0.1.0
 */
public final class HexbusTracing implements Tracing {

    /** The instrumentation scope name of hexbus's spans. */
    public static final String INSTRUMENTATION_NAME = "io.hexbus";

    private final Tracer tracer;

    private HexbusTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION_NAME);
    }

    /**
     * A tracing that writes spans with the given OpenTelemetry, not installed anywhere yet.
     *
     * @param openTelemetry the OpenTelemetry whose tracer provider makes the spans
     * @return the tracing
     */
    public static HexbusTracing of(OpenTelemetry openTelemetry) {
        return new HexbusTracing(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    /**
     * Traces every transport that uses {@code processor}: what an application calls once, at start-up.
     *
     * @param openTelemetry the OpenTelemetry whose tracer provider makes the spans
     * @param processor     the processor every transport of the application dispatches through
     * @return the installed tracing
     * @throws IllegalStateException if the processor has a tracing already
     */
    public static HexbusTracing install(OpenTelemetry openTelemetry, DomainEventsProcessor processor) {
        HexbusTracing tracing = of(openTelemetry);
        Objects.requireNonNull(processor, "processor").useTracing(tracing);
        return tracing;
    }

    @Override
    public Optional<TraceContext> publishing(String eventName, DomainEvent event) {
        Span created = tracer.spanBuilder(CREATE + " " + eventName)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(MESSAGING_SYSTEM, SYSTEM)
                .setAttribute(OPERATION_TYPE, CREATE)
                .setAttribute(OPERATION_NAME, CREATE)
                .setAttribute(DESTINATION, eventName)
                .setAttribute(MESSAGE_ID, String.valueOf(event.eventId()))
                .startSpan();
        try {
            return W3cCarrier.inject(Context.current().with(created));
        } finally {
            created.end();
        }
    }

    @Override
    public void handle(HandlerRun run, HandlerInvocation invocation) throws Exception {
        String eventName = run.subscription().eventName();
        SpanBuilder builder = tracer.spanBuilder(PROCESS + " " + eventName)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, SYSTEM)
                .setAttribute(OPERATION_TYPE, PROCESS)
                .setAttribute(OPERATION_NAME, PROCESS)
                .setAttribute(DESTINATION, eventName)
                .setAttribute(MESSAGE_ID, String.valueOf(run.event().eventId()))
                .setAttribute(SUBSCRIPTION, run.subscription().name())
                .setAttribute(ATTEMPT, (long) run.attempt());
        Context published = run.trace().map(W3cCarrier::extract).orElse(null);
        SpanContext publisher = published == null ? SpanContext.getInvalid()
                : Span.fromContext(published).getSpanContext();
        if (publisher.isValid()) {
            builder.setParent(published).addLink(publisher);
        } else {
            builder.setParent(Context.current());
        }
        Span span = builder.startSpan();
        try (Scope ignored = span.makeCurrent()) {
            invocation.proceed();
        } catch (Throwable failure) { // rethrown as it is: the transport decides retries by it
            span.recordException(failure);
            span.setAttribute(ERROR_TYPE, failure.getClass().getName());
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            throw failure;
        } finally {
            span.end();
        }
    }

    @Override
    public String toString() {
        return "HexbusTracing[" + INSTRUMENTATION_NAME + "]";
    }
}
