package io.hexbus.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.TraceContext;
import io.hexbus.api.handling.Tracing;
import io.hexbus.api.publishing.EventNotEncodableException;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.InvalidOrderingKeyException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns events into the JSON envelope every transport carries, and back: the one wire contract of hexbus.
 *
 * <pre>{@code
 * {"v":1, "id":"0190…", "name":"billing.invoice-issued", "version":1, "occurredAt":"…", "publishedAt":"…",
 *  "metadata":{"correlationId":…}, "trace":{"traceparent":"00-…","tracestate":"…"},
 *  "payload":{ the record's other components }}
 * }</pre>
 *
 * <p>{@code metadata} holds the fields of {@link DomainEvent#metadata()} that are set, and is {@code {}} when none
 * is: an absent field reads as null, and so does one written as {@code null} (as hexbus wrote them before).
 *
 * <p>{@code trace} is optional and omitted when the event carries no trace context (no bytes without tracing), and
 * so is its {@code tracestate}: the W3C trace context of the publish ({@link TraceContext}), written when the bus's
 * {@link Tracing} gave one. A reader ignores a {@code trace} it cannot use (not an object, a value that is not valid
 * text): tracing never makes an event malformed.
 *
 * <p>{@code v} is the envelope's format; {@code version} the payload's shape, the event type's
 * {@linkplain io.hexbus.api.event.EventName#version() version}. The payload's class comes only from the
 * {@link EventTypeRegistry}, looked up by the envelope's name: no default typing, no class name on the wire,
 * whatever modules are added. The payload holds the record's components and nothing else (a record's
 * {@code getX()}/{@code isX()} helpers are not written), so an event's {@link DomainEvent#orderingKey()} is not in
 * the envelope: it is derived again from the event that is read, and handed to the transport beside the envelope.
 *
 * <p>Reading is tolerant where events evolve and strict where a writer is wrong:
 * <ul>
 *   <li>unknown payload fields are ignored (a component removed since); an absent component reads as null,
 *       {@code Optional.empty()}, or whatever the record's constructor makes of null (a default it declares,
 *       or a refusal, which makes the entry malformed); an absent primitive is refused;</li>
 *   <li>an entry at an older version goes through the registry's {@link io.hexbus.api.event.EventUpcaster}s
 *       first; one at a newer version throws {@link NewerEventVersionException} (retry it later);</li>
 *   <li>a value must already have its component's type (no number read as text or text as a number, no
 *       fraction truncated to an integer, no {@code ""} read as null; an integer is accepted for a decimal),
 *       and a key given twice, or a payload field the envelope carries ({@code eventId}, {@code occurredAt},
 *       {@code metadata}), is refused;</li>
 *   <li>stream read constraints bound the document's size and nesting depth, so a hostile entry cannot
 *       exhaust memory or the stack.</li>
 * </ul>
 *
 * <p>Built once per application with {@link #builder(EventTypeRegistry)} and shared by the transports, so that
 * they agree on every event. Immutable and thread-safe.
 */
public final class EventCodec {

    /** The envelope format this codec writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** The deepest nesting of JSON arrays and objects accepted. */
    public static final int MAX_NESTING_DEPTH = 100;

    /** The default size limit of an encoded event: 1 MiB. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    private static final String EVENT_ID = "eventId";
    private static final String OCCURRED_AT = "occurredAt";
    private static final String METADATA = "metadata";
    private static final String VERSION = "version";
    private static final String TRACE = "trace";
    private static final String TRACEPARENT = "traceparent";
    private static final String TRACESTATE = "tracestate";
    private static final List<String> ENVELOPE_OWNED = List.of(EVENT_ID, OCCURRED_AT, METADATA);
    private static final Pattern SETTING_HINT = Pattern.compile(" \\((?:set |but might if |but could if |enable )[^)]*\\)");

    // Whether a type overrides orderingKey(): the default, the id as text, is valid whenever the id is, and is not
    // worth a string per event on the in-memory bus's hot path.
    private static final ClassValue<Boolean> OVERRIDES_ORDERING_KEY = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("orderingKey").getDeclaringClass() != DomainEvent.class;
            } catch (NoSuchMethodException e) {
                return true; // cannot happen for a DomainEvent: checked then, to be safe
            }
        }
    };

    private final EventTypeRegistry eventTypes;
    private final int maxBytes;
    private final ObjectMapper mapper;

    private EventCodec(Builder builder) {
        this.eventTypes = builder.eventTypes;
        this.maxBytes = builder.maxBytes;
        this.mapper = StrictJsonMapper.build(maxBytes, builder.modules, builder.mixIns);
    }

    /**
     * A codec with the defaults: 1 MiB, the JDK 8 ({@code Optional}) and Java time modules.
     *
     * @param eventTypes the registry that maps names to types and holds the upcasters
     * @return the codec
     */
    public static EventCodec of(EventTypeRegistry eventTypes) {
        return builder(eventTypes).build();
    }

    /**
     * Starts a codec over a registry.
     *
     * @param eventTypes the registry that maps names to types and holds the upcasters
     * @return a builder with the defaults
     */
    public static Builder builder(EventTypeRegistry eventTypes) {
        return new Builder(eventTypes);
    }

    /**
     * @return the largest encoded event accepted, in bytes
     */
    public int maxBytes() {
        return maxBytes;
    }

    /**
     * @return the registry this codec reads names, versions and upcasters from
     */
    public EventTypeRegistry eventTypes() {
        return eventTypes;
    }

    /**
     * Checks that this codec reads the given registry, the one a transport's processor routes by: with another,
     * the codec and the handlers would disagree on names and versions.
     *
     * @param registry the processor's registry
     * @return this codec
     * @throws IllegalArgumentException if this codec reads another registry
     */
    public EventCodec requireReads(EventTypeRegistry registry) {
        if (eventTypes != registry) {
            throw new IllegalArgumentException("the codec reads another EventTypeRegistry than the processor's:"
                    + " build it with EventCodec.builder(processor.eventTypes())");
        }
        return this;
    }

    /**
     * Encodes an event.
     *
     * @param event       the event
     * @param publishedAt when it is published
     * @return the envelope as JSON
     * @throws io.hexbus.api.event.UnknownEventTypeException if its type has no registered name
     * @throws EventTooLargeException if the envelope exceeds the limit, naming the size and the limit
     * @throws EventNotEncodableException if Jackson cannot write the event, naming the type and the reason
     * @throws InvalidOrderingKeyException if its {@link DomainEvent#orderingKey()} is null, blank or too long
     */
    public EncodedEvent encode(DomainEvent event, Instant publishedAt) {
        return encode(event, publishedAt, null);
    }

    /**
     * Encodes an event with the trace context it is published with.
     *
     * @param event        the event
     * @param publishedAt  when it is published
     * @param traceContext its trace context, written as the envelope's {@code trace}; null writes none
     * @return the envelope as JSON
     * @throws io.hexbus.api.event.UnknownEventTypeException if its type has no registered name
     * @throws EventTooLargeException if the envelope, its trace context included, exceeds the limit
     * @throws EventNotEncodableException if Jackson cannot write the event, naming the type and the reason
     * @throws InvalidOrderingKeyException if its {@link DomainEvent#orderingKey()} is null, blank or too long
     */
    public EncodedEvent encode(DomainEvent event, Instant publishedAt, TraceContext traceContext) {
        return encode(event, eventTypes.nameOf(event.getClass()), publishedAt, traceContext);
    }

    private EncodedEvent encode(DomainEvent event, String name, Instant publishedAt, TraceContext traceContext) {
        Class<? extends DomainEvent> type = event.getClass();
        String orderingKey = checked(event.orderingKey(), type);
        String json;
        try {
            ObjectNode payload = mapper.valueToTree(event);
            payload.remove(EVENT_ID);
            payload.remove(OCCURRED_AT);
            payload.remove(METADATA);
            ObjectNode envelope = mapper.createObjectNode();
            envelope.put("v", FORMAT_VERSION);
            envelope.put("id", event.eventId().toString());
            envelope.put("name", name);
            envelope.put(VERSION, eventTypes.versionOf(type));
            envelope.put(OCCURRED_AT, CanonicalInstants.format(event.occurredAt()));
            // To the millisecond: what people and tools read it for (the Java reader does not), and up to six bytes
            // fewer than the clock's nanoseconds in every stored event (issue 20).
            envelope.put("publishedAt", CanonicalInstants.format(publishedAt.truncatedTo(ChronoUnit.MILLIS)));
            writeMetadata(envelope.putObject(METADATA), event.metadata());
            if (traceContext != null) {
                ObjectNode trace = envelope.putObject(TRACE);
                trace.put(TRACEPARENT, traceContext.traceparent());
                if (traceContext.tracestate() != null) {
                    trace.put(TRACESTATE, traceContext.tracestate());
                }
            }
            envelope.set("payload", payload);
            json = mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage()
                    : e.getCause() instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new EventNotEncodableException("event " + name + " (" + type.getName() + ") cannot be written"
                    + " as JSON: " + reason + ". An event holds records, lists, maps, strings, numbers, booleans,"
                    + " enums, UUIDs, java.time values and Optionals; add a Jackson module or mix-in to"
                    + " EventCodec.builder for anything else", e);
        }
        int bytes = Utf8.length(json);
        if (bytes > maxBytes) {
            throw new EventTooLargeException("event " + name + " " + event.eventId() + " is " + bytes
                    + " bytes encoded, over the limit of " + maxBytes + " bytes");
        }
        return new EncodedEvent(event.eventId(), name, orderingKey, json);
    }

    /**
     * Writes the metadata fields that are set and leaves out the absent ones: four nulls were most of an empty
     * envelope's overhead (issue 20), and every reader, the schema included, takes an absent field as null.
     */
    private static void writeMetadata(ObjectNode metadata, EventMetadata given) {
        EventMetadata value = given == null ? EventMetadata.EMPTY : given;
        putIfSet(metadata, "correlationId", value.correlationId());
        putIfSet(metadata, "causationId", value.causationId());
        putIfSet(metadata, "tenantId", value.tenantId());
        putIfSet(metadata, "performedBy", value.performedBy()); // the record's order, as Jackson wrote it
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /**
     * Checks an event's {@link DomainEvent#orderingKey()} as {@link #encode} does, for a transport that publishes
     * without encoding. An event type that does not override it is not called: its default is always valid.
     *
     * @param event the event, whose id is not null
     * @throws InvalidOrderingKeyException if the key is null, blank or longer than
     *                                     {@link DomainEvent#MAX_ORDERING_KEY_LENGTH}, naming the event type
     */
    public static void checkOrderingKey(DomainEvent event) {
        if (OVERRIDES_ORDERING_KEY.get(event.getClass())) {
            checked(event.orderingKey(), event.getClass());
        }
    }

    private static String checked(String orderingKey, Class<?> type) {
        if (orderingKey == null || orderingKey.isBlank()) {
            throw new InvalidOrderingKeyException(type.getName() + ".orderingKey() is "
                    + (orderingKey == null ? "null" : "blank") + ": an event is ordered by a key of at least one"
                    + " character that is not white space (the default, its id, orders it with nothing)");
        }
        if (orderingKey.length() > DomainEvent.MAX_ORDERING_KEY_LENGTH) {
            throw new InvalidOrderingKeyException(type.getName() + ".orderingKey() has " + orderingKey.length()
                    + " characters, more than the limit of " + DomainEvent.MAX_ORDERING_KEY_LENGTH);
        }
        return orderingKey;
    }

    /**
     * Checks that an event travels unchanged: it is registered, encodes within the size limit, and reads back
     * equal to itself, component by component. What the in-memory bus and the test helpers run at publish, so
     * that they refuse what a queue would, and what a queue's consumer could not read.
     *
     * @param event the event
     * @throws io.hexbus.api.event.UnknownEventTypeException if its type has no registered name
     * @throws EventTooLargeException if its envelope exceeds the limit
     * @throws EventNotEncodableException if it cannot be written, cannot be read back, or reads back different,
     *                                    naming the component
     * @throws InvalidOrderingKeyException if its ordering key is null, blank or too long, or not the same read back
     */
    public void checkRoundTrip(DomainEvent event) {
        EncodedEvent encoded = encode(event, event.occurredAt());
        DomainEvent decoded;
        try {
            decoded = decode(encoded.json());
        } catch (MalformedEventException e) {
            throw new EventNotEncodableException("event " + encoded.name() + " (" + event.getClass().getName()
                    + ") is written as JSON that it cannot be read back from: " + e.getMessage(), e);
        }
        Optional<String> difference = SameComponents.firstDifference(event, decoded);
        if (difference.isPresent()) {
            throw new EventNotEncodableException("event " + encoded.name() + " (" + event.getClass().getName()
                    + ") reads back different from what was published, at " + difference.get() + ": its JSON"
                    + " form loses something (a time zone, a precision, a type); use a type whose JSON form"
                    + " reads back equal, or add a Jackson module or mix-in to EventCodec.builder", null);
        }
        if (!encoded.orderingKey().equals(decoded.orderingKey())) {
            throw new InvalidOrderingKeyException(event.getClass().getName() + ".orderingKey() changes when the"
                    + " event is read back: it must be derived from the record's components only");
        }
    }

    /**
     * Encodes a batch as a transport's {@code publishAll} must: every event checked and encoded before any is sent,
     * so that one refused event refuses the batch.
     *
     * @param events      the events, none null
     * @param publishedAt when they are published
     * @return their envelopes, in the order given
     * @throws NullPointerException if an event or its id is null, naming its type
     * @throws io.hexbus.api.event.UnknownEventTypeException if an event's type has no registered name
     * @throws EventTooLargeException if an envelope exceeds the limit
     * @throws EventNotEncodableException if an event cannot be written
     * @throws InvalidOrderingKeyException if an event's ordering key is null, blank or too long
     */
    public List<EncodedEvent> encodeAll(List<? extends DomainEvent> events, Instant publishedAt) {
        return encodeAll(events, publishedAt, Tracing.NONE);
    }

    /**
     * Encodes a batch as {@link #encodeAll(List, Instant)} does, each event with the trace context
     * {@link Tracing#publishing} gives it: what a transport's {@code publishAll} calls with its processor's
     * {@link io.hexbus.api.handling.DomainEventsProcessor#tracing()}. Each event's name is checked before its
     * tracing is asked, so an unregistered event is never traced; an event refused later (too large with its
     * trace) has been asked for all the same. A tracing not {@linkplain Tracing#isActive() active} when the batch
     * starts is asked for no event of it.
     *
     * @param events      the events, none null
     * @param publishedAt when they are published
     * @param tracing     gives each event's trace context, on the calling thread
     * @return their envelopes, in the order given
     * @throws NullPointerException if an event or its id is null, naming its type
     * @throws io.hexbus.api.event.UnknownEventTypeException if an event's type has no registered name
     * @throws EventTooLargeException if an envelope exceeds the limit
     * @throws EventNotEncodableException if an event cannot be written
     * @throws InvalidOrderingKeyException if an event's ordering key is null, blank or too long
     */
    public List<EncodedEvent> encodeAll(List<? extends DomainEvent> events, Instant publishedAt, Tracing tracing) {
        Objects.requireNonNull(tracing, "tracing");
        boolean traced = tracing.isActive();
        List<EncodedEvent> encoded = new ArrayList<>(events.size());
        for (DomainEvent event : events) {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(event.eventId(), () -> event.getClass().getName() + ".eventId() is null");
            String name = eventTypes.nameOf(event.getClass());
            TraceContext trace = traced ? tracing.publishing(name, event).orElse(null) : null;
            encoded.add(encode(event, name, publishedAt, trace));
        }
        return encoded;
    }

    /**
     * Decodes an envelope as {@link #decode} does, and checks it against what its message is routed by: a broker
     * routes and deduplicates by the message's name and id, handlers read the envelope, so a writer that made them
     * differ would hand the subscriptions of one event another. Ids are compared as values: an id in upper case on
     * both sides is the same id.
     *
     * @param routedName the event name the message is routed by
     * @param routedId   the event id the message is routed by, as written
     * @param json       the envelope
     * @return the event
     * @throws MalformedEventException as {@link #decode} does, and when the envelope holds another type than the
     *                                 one registered for {@code routedName}, or another id than {@code routedId}
     * @throws NewerEventVersionException as {@link #decode} does
     */
    public DomainEvent decodeRouted(String routedName, String routedId, String json) {
        return readRouted(routedName, routedId, json).event();
    }

    /**
     * Reads an envelope as {@link #decodeRouted} does, with its trace context: what a queued transport's consumer
     * calls, to hand the trace context to the handlers' {@link Tracing}.
     *
     * @param routedName the event name the message is routed by
     * @param routedId   the event id the message is routed by, as written
     * @param json       the envelope
     * @return the event and its trace context
     * @throws MalformedEventException as {@link #decodeRouted} does
     * @throws NewerEventVersionException as {@link #decode} does
     */
    public DecodedEvent readRouted(String routedName, String routedId, String json) {
        DecodedEvent read = read(json);
        DomainEvent event = read.event();
        boolean sameType = eventTypes.typeOf(routedName).map(type -> type == event.getClass()).orElse(false);
        if (!sameType || !sameId(routedId, event)) {
            throw new MalformedEventException("message is routed as " + routedName + " " + quoted(routedId)
                    + " but its envelope holds " + event.getClass().getSimpleName() + " " + event.eventId(), null);
        }
        return read;
    }

    private static boolean sameId(String routedId, DomainEvent event) {
        try {
            return UUID.fromString(routedId).equals(event.eventId());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // A routed id is bounded and printable in a message: it may be anything a foreign writer put there.
    private static String quoted(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return "'" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }

    /**
     * Decodes an envelope into its event, upcasting an older version of its payload first.
     *
     * @param json the envelope
     * @return the event, of the type registered for its name
     * @throws MalformedEventException naming what is wrong: JSON (a duplicate key included), format, a
     *                                 field of another type, a value the record refuses, an unregistered
     *                                 name, a missing or failing upcaster
     * @throws NewerEventVersionException if the entry was written at a newer version than this service reads
     */
    public DomainEvent decode(String json) {
        return read(json).event();
    }

    /**
     * Reads an envelope as {@link #decode} does, with its trace context.
     *
     * @param json the envelope
     * @return the event and its trace context (null when the envelope has none, or one that is not valid)
     * @throws MalformedEventException as {@link #decode} does
     * @throws NewerEventVersionException as {@link #decode} does
     */
    public DecodedEvent read(String json) {
        JsonNode envelope = readTree(json);
        JsonNode format = envelope.get("v");
        if (format == null || !format.isInt() || format.intValue() != FORMAT_VERSION) { // "1" or 1.0 is not 1
            throw new MalformedEventException("unsupported envelope format version " + shortly(envelope.path("v"))
                    + " (this reader understands " + FORMAT_VERSION + ")", null);
        }
        String name = requiredText(envelope, "name");
        Class<? extends DomainEvent> type = eventTypes.typeOf(name).orElseThrow(() ->
                new MalformedEventException("unknown event name '" + name + "': no type is registered for it in"
                        + " this service's EventTypeRegistry", null));
        JsonNode payloadNode = envelope.get("payload");
        if (payloadNode == null || !payloadNode.isObject()) {
            throw new MalformedEventException("envelope of '" + name + "' has no payload object", null);
        }
        ObjectNode payload = (ObjectNode) payloadNode; // this tree is ours alone: completed in place
        int entryVersion = versionOf(envelope, name);
        // By name, as the type was found: a type being registered meanwhile has its version before its name.
        int readerVersion = eventTypes.versionOf(name).orElse(1);
        if (entryVersion > readerVersion) {
            throw new NewerEventVersionException(name, entryVersion, readerVersion);
        }
        if (entryVersion < readerVersion) {
            payload = Upcasting.upcast(mapper, eventTypes, name, payload, entryVersion, readerVersion);
        }
        for (String own : ENVELOPE_OWNED) {
            // Completing in place would overwrite it silently: a second value for one field, as a duplicate key.
            if (payload.has(own)) {
                throw new MalformedEventException("payload of '" + name + "' has a field '" + own
                        + "', which only the envelope may carry", null);
            }
        }
        payload.put(EVENT_ID, requiredText(envelope, "id"));
        String occurredAt = requiredText(envelope, OCCURRED_AT);
        Instant parsed = CanonicalInstants.parse(occurredAt);
        if (parsed != null) {
            payload.putPOJO(OCCURRED_AT, parsed);
        } else {
            payload.put(OCCURRED_AT, occurredAt); // not as this codec writes it: Jackson parses it, or names it
        }
        JsonNode metadata = envelope.get(METADATA);
        payload.set(METADATA, metadata == null || metadata.isNull() ? mapper.valueToTree(EventMetadata.EMPTY)
                : metadata);
        try {
            return new DecodedEvent(mapper.treeToValue(payload, type), traceOf(envelope));
        } catch (MismatchedInputException e) {
            throw new MalformedEventException("payload of '" + name + "' does not fit " + type.getSimpleName()
                    + " at " + pathOf(e), withoutSettingHints(e.getOriginalMessage()), e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable reason = e.getCause() != null ? e.getCause() : e;
            // Most often the record's constructor refusing a value: name the exception, as its message may be a bare
            // component name, or none at all (Objects.requireNonNull(x)).
            throw new MalformedEventException("payload of '" + name + "' is refused by " + type.getSimpleName()
                    + " (" + reason.getClass().getSimpleName() + ")", String.valueOf(reason.getMessage()), e);
        }
    }

    // Tolerant: a trace context is for observability only, so one that cannot be used is dropped, never refused.
    private static TraceContext traceOf(JsonNode envelope) {
        JsonNode trace = envelope.get(TRACE);
        if (trace == null || !trace.isObject()) {
            return null;
        }
        JsonNode parent = trace.get(TRACEPARENT);
        JsonNode state = trace.get(TRACESTATE);
        String traceparent = parent != null && parent.isTextual() ? parent.textValue() : null;
        String tracestate = state != null && state.isTextual() ? state.textValue() : null;
        if (!TraceContext.isValid(traceparent, null)) {
            return null;
        }
        return new TraceContext(traceparent, TraceContext.isValid(traceparent, tracestate) ? tracestate : null);
    }

    // Absent in entries written before events had versions: those are version 1.
    private static int versionOf(JsonNode envelope, String name) {
        JsonNode version = envelope.get(VERSION);
        if (version == null) {
            return 1;
        }
        if (!version.isInt() || version.intValue() < 1) {
            throw new MalformedEventException("envelope of '" + name + "' has version " + shortly(version)
                    + ", not a whole number of at least 1", null);
        }
        return version.intValue();
    }

    private JsonNode readTree(String json) {
        if (json == null) {
            throw new MalformedEventException("entry has no envelope field", null);
        }
        // Checked here: Jackson enforces maxDocumentLength only while it loads more input, never on a String
        // that is already whole, so a huge entry written past the publish check would be parsed in full.
        int bytes = Utf8.length(json);
        if (bytes > maxBytes) {
            throw new MalformedEventException("envelope is " + bytes + " bytes, over the limit of " + maxBytes
                    + " bytes", null);
        }
        try {
            JsonNode node = mapper.readTree(json);
            if (node == null || !node.isObject()) {
                throw new MalformedEventException("envelope is not a JSON object", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("envelope is not valid JSON", e.getOriginalMessage(), e);
        }
    }

    private static String requiredText(JsonNode envelope, String field) {
        JsonNode node = envelope.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new MalformedEventException("envelope field '" + field + "' is missing or not text", null);
        }
        return node.asText();
    }

    // A value from the wire in a message: short, so a hostile entry cannot fill the log.
    private static String shortly(JsonNode value) {
        String text = value.toString();
        return text.length() <= 20 ? text : text.substring(0, 20) + "…";
    }

    // Jackson suggests loosening a setting ("set DeserializationFeature… to 'false' to allow"): not the reader's to change.
    private static String withoutSettingHints(String message) {
        return SETTING_HINT.matcher(message).replaceAll("");
    }

    private static String pathOf(MismatchedInputException e) {
        // eventId, occurredAt and metadata were moved from the envelope into the payload to be read.
        String first = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
        boolean fromEnvelope = first != null && ENVELOPE_OWNED.contains(first);
        StringBuilder path = new StringBuilder(fromEnvelope ? "envelope" : "payload");
        e.getPath().forEach(ref -> path.append(ref.getFieldName() != null ? "." + ref.getFieldName()
                : "[" + ref.getIndex() + "]"));
        return path.toString();
    }

    /**
     * Configures an {@link EventCodec}. Not thread-safe; the codec it builds is.
     */
    public static final class Builder {

        private final EventTypeRegistry eventTypes;
        private final List<Module> modules = new ArrayList<>();
        private final Map<Class<?>, Class<?>> mixIns = new LinkedHashMap<>();
        private int maxBytes = DEFAULT_MAX_BYTES;

        private Builder(EventTypeRegistry eventTypes) {
            this.eventTypes = Objects.requireNonNull(eventTypes, "eventTypes");
        }

        /**
         * @param value the largest encoded event accepted, in bytes (UTF-8); at least 1024
         * @return this builder
         * @throws IllegalArgumentException if below 1024
         */
        public Builder maxBytes(int value) {
            if (value < 1024) {
                throw new IllegalArgumentException("maxBytes must be at least 1024, got " + value);
            }
            this.maxBytes = value;
            return this;
        }

        /**
         * Adds a Jackson module, for value types the defaults do not write (Guava's, Joda's, a money library's).
         * The JDK 8 and Java time modules are always registered. A module that turns on default typing is
         * refused by {@link #build()}; type ids that name classes are refused when read, whatever a module
         * or mix-in declares.
         *
         * @param module the module
         * @return this builder
         */
        public Builder addModule(Module module) {
            modules.add(Objects.requireNonNull(module, "module"));
            return this;
        }

        /**
         * Adds a Jackson mix-in: annotations for a type the application cannot annotate itself.
         *
         * @param target the type the annotations apply to
         * @param mixIn  the class that carries them
         * @return this builder
         */
        public Builder addMixIn(Class<?> target, Class<?> mixIn) {
            mixIns.put(Objects.requireNonNull(target, "target"), Objects.requireNonNull(mixIn, "mixIn"));
            return this;
        }

        /**
         * @return the codec
         * @throws IllegalArgumentException if a module turned on Jackson's default typing
         */
        public EventCodec build() {
            return new EventCodec(this);
        }
    }
}
