package io.hexbus.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import java.util.List;

/** An OpenTelemetry SDK that exports each span, when it ends, to memory. One per test; close it after. */
final class TestTracing implements AutoCloseable {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();

    OpenTelemetry openTelemetry() {
        return sdk;
    }

    /** A span of the test itself, as a request's server span would be. */
    Span startRequest() {
        Tracer tracer = sdk.getTracer("tests");
        return tracer.spanBuilder("request").setSpanKind(SpanKind.SERVER).startSpan();
    }

    List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    List<SpanData> spans(SpanKind kind) {
        return spans().stream().filter(span -> span.getKind() == kind).toList();
    }

    @Override
    public void close() {
        sdk.close();
    }
}
