package io.hexbus.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.UnknownEventTypeException;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.TraceContext;
import io.hexbus.api.handling.Tracing;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The envelope's optional {@code trace} field: written only when there is one, read back, never refused. */
class TraceContextEnvelopeTest {

    @EventName("test.traced")
    public record Traced(UUID eventId, Instant occurredAt, EventMetadata metadata, String note) implements DomainEvent {
    }

    /** An event type that nobody registered. */
    public record Unnamed(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final Instant AT = Instant.parse("2025-01-31T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventCodec codec = EventCodec.of(new EventTypeRegistry().register(Traced.class));
    private final Traced event = new Traced(UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"), AT,
            EventMetadata.EMPTY, "hello");

    @Test
    void anEventWithoutATraceContextHasNoTraceFieldAndNotOneByteMore() {
        String plain = codec.encode(event, AT).json();

        assertFalse(plain.contains("\"trace\""), plain);
        assertEquals(plain, codec.encode(event, AT, null).json());
        assertEquals(plain, codec.encodeAll(List.of(event), AT, Tracing.NONE).get(0).json());
        assertNull(codec.read(plain).traceContext());
    }

    @Test
    void theTraceContextIsWrittenBesideTheMetadataAndReadBack() throws Exception {
        TraceContext trace = new TraceContext(TRACEPARENT, "vendor=opaque");

        String json = codec.encode(event, AT, trace).json();

        assertEquals(TRACEPARENT, JSON.readTree(json).get("trace").get("traceparent").asText());
        DecodedEvent read = codec.readRouted("test.traced", event.eventId().toString(), json);
        assertEquals(event, read.event(), "the event itself does not carry it");
        assertEquals(Optional.of(trace), read.trace());
    }

    @Test
    void anAbsentTracestateIsNotWritten() throws Exception {
        String json = codec.encode(event, AT, new TraceContext(TRACEPARENT, null)).json();

        assertEquals(List.of("traceparent"), fieldNames((ObjectNode) JSON.readTree(json).get("trace")));
        assertEquals(new TraceContext(TRACEPARENT, null), codec.read(json).traceContext());
    }

    @Test
    void aTraceContextThatCannotBeUsedIsDroppedNotRefused() throws Exception {
        ObjectNode envelope = (ObjectNode) JSON.readTree(codec.encode(event, AT).json());
        envelope.putObject("trace").put("traceparent", "   ");
        assertEquals(new DecodedEvent(event, null), codec.read(envelope.toString()));

        envelope.put("trace", TRACEPARENT);
        assertEquals(new DecodedEvent(event, null), codec.read(envelope.toString()));

        envelope.putObject("trace").put("traceparent", TRACEPARENT).put("tracestate", "é=not ascii");
        assertEquals(new TraceContext(TRACEPARENT, null), codec.read(envelope.toString()).traceContext(),
                "a tracestate that cannot be used alone is dropped alone");
    }

    @Test
    void aBatchAsksTheTracingForEachEventInOrder() {
        Traced second = new Traced(UUID.randomUUID(), AT, EventMetadata.EMPTY, "second");
        List<UUID> asked = new ArrayList<>();
        Tracing tracing = new Tracing() {
            @Override
            public Optional<TraceContext> publishing(String eventName, DomainEvent published) {
                asked.add(published.eventId());
                return published == event ? Optional.of(new TraceContext(TRACEPARENT, null)) : Optional.empty();
            }
        };

        List<EncodedEvent> encoded = codec.encodeAll(List.of(event, second), AT, tracing);

        assertEquals(List.of(event.eventId(), second.eventId()), asked);
        assertTrue(encoded.get(0).json().contains(TRACEPARENT));
        assertFalse(encoded.get(1).json().contains("\"trace\""));
    }

    @Test
    void aTracingThatIsNotActiveIsNotAskedForAnyEventOfTheBatch() {
        List<DomainEvent> asked = new ArrayList<>();
        Tracing inactive = new Tracing() {
            @Override
            public boolean isActive() {
                return false;
            }

            @Override
            public Optional<TraceContext> publishing(String eventName, DomainEvent published) {
                asked.add(published);
                return Optional.of(new TraceContext(TRACEPARENT, null));
            }
        };

        List<EncodedEvent> encoded = codec.encodeAll(List.of(event), AT, inactive);

        assertTrue(asked.isEmpty());
        assertEquals(codec.encode(event, AT).json(), encoded.get(0).json());
    }

    @Test
    void aProcessorsTracingHeldBeforeTheInstallIsSkippedUntilThenAndAskedAfter() {
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry().register(Traced.class));
        Tracing held = processor.tracing(); // as a transport built at start holds it
        List<String> asked = new ArrayList<>();

        String before = codec.encodeAll(List.of(event), AT, held).get(0).json();
        processor.useTracing(new Tracing() {
            @Override
            public Optional<TraceContext> publishing(String eventName, DomainEvent published) {
                asked.add(eventName);
                return Optional.of(new TraceContext(TRACEPARENT, null));
            }
        });
        String after = codec.encodeAll(List.of(event), AT, held).get(0).json();

        assertFalse(before.contains("\"trace\""), before);
        assertTrue(after.contains(TRACEPARENT), after);
        assertEquals(List.of("test.traced"), asked);
    }

    @Test
    void anUnregisteredEventIsRefusedBeforeItsTracingIsAsked() {
        List<DomainEvent> asked = new ArrayList<>();
        Tracing tracing = new Tracing() {
            @Override
            public Optional<TraceContext> publishing(String eventName, DomainEvent published) {
                asked.add(published);
                return Optional.empty();
            }
        };

        assertThrows(UnknownEventTypeException.class,
                () -> codec.encodeAll(List.of(new Unnamed(UUID.randomUUID(), AT)), AT, tracing));
        assertTrue(asked.isEmpty());
    }

    private static List<String> fieldNames(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
