package io.hexbus.opentelemetry;

import io.hexbus.api.handling.TraceContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves an OpenTelemetry {@link Context} into a {@link TraceContext} and back with the W3C propagator, whatever
 * propagator the application configured: the envelope's {@code trace} field is W3C by contract. Baggage is not
 * carried. Stateless and thread-safe.
 */
final class W3cCarrier {

    private static final String TRACEPARENT = "traceparent";
    private static final String TRACESTATE = "tracestate";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<TraceContext> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
            return carrier.tracestate() == null ? List.of(TRACEPARENT) : List.of(TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(TraceContext carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return switch (key) {
                case TRACEPARENT -> carrier.traceparent();
                case TRACESTATE -> carrier.tracestate();
                default -> null;
            };
        }
    };

    private W3cCarrier() {
    }

    /**
     * @param context the context whose span is to be carried
     * @return its span's W3C trace context, or empty when it has no valid span (or one W3C values cannot hold)
     */
    static Optional<TraceContext> inject(Context context) {
        Map<String, String> headers = new HashMap<>(4);
        W3C.inject(context, headers, Map::put);
        String traceparent = headers.get(TRACEPARENT);
        String tracestate = headers.get(TRACESTATE);
        if (tracestate != null && tracestate.isEmpty()) {
            tracestate = null;
        }
        if (!TraceContext.isValid(traceparent, tracestate)) {
            return Optional.empty();
        }
        return Optional.of(new TraceContext(traceparent, tracestate));
    }

    /**
     * @param carried a trace context carried with an event
     * @return a root context holding the publisher's span as a remote parent; without a span when it cannot be read
     */
    static Context extract(TraceContext carried) {
        return W3C.extract(Context.root(), carried, GETTER);
    }
}
