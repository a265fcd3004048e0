package io.hexbus.redis.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventTypeRegistry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Turns events into the transport's JSON envelope and back.
 *
 * <pre>{@code
 * {"v":1, "id":"0190…", "name":"billing.invoice-issued", "occurredAt":"…", "publishedAt":"…",
 *  "metadata":{"correlationId":…}, "payload":{ the record's other components }}
 * }</pre>
 *
 * <p>The payload's class comes only from the {@link EventTypeRegistry}, looked up by the envelope's name:
 * no default typing, no class name on the wire. The payload holds the record's components and nothing else
 * (a record's {@code getX()}/{@code isX()} helpers are not written). Reading is tolerant of unknown fields
 * and strict about missing ones (a record component absent from the payload is an error naming it; an
 * explicit null is accepted) and about types: a value must already have its component's type (no number
 * read as text, no text read as a number, boolean or instant, no fraction truncated to an integer, no
 * {@code ""} read as null; an integer is accepted for a decimal or floating-point component), and a key
 * given twice, or a payload field the envelope carries ({@code eventId}, {@code occurredAt},
 * {@code metadata}), is refused. Stream read constraints bound the document's size and nesting depth, so a
 * hostile entry cannot exhaust memory or the stack. Thread-safe.
 */
public final class EventCodec {

    /** The envelope format this codec writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** The deepest nesting of JSON arrays and objects accepted. */
    public static final int MAX_NESTING_DEPTH = 100;

    private static final String EVENT_ID = "eventId";
    private static final String OCCURRED_AT = "occurredAt";
    private static final String METADATA = "metadata";
    private static final List<String> ENVELOPE_OWNED = List.of(EVENT_ID, OCCURRED_AT, METADATA);

    private final EventTypeRegistry eventTypes;
    private final int maxBytes;
    private final ObjectMapper mapper;

    /**
     * @param eventTypes the registry that maps names to types
     * @param maxBytes   the largest encoded event accepted, in bytes (UTF-8)
     */
    public EventCodec(EventTypeRegistry eventTypes, int maxBytes) {
        this.eventTypes = Objects.requireNonNull(eventTypes, "eventTypes");
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maxBytes must be at least 1024, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("hexbus-strict-instant")
                        .addDeserializer(Instant.class, new TextualInstantDeserializer()))
                .annotationIntrospector(new RecordComponentsOnly())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // A value must already have its component's type: no number read as text (123 → "123"), no text
                // read as a number or boolean, no fraction truncated to an integer, no "" read as null, no
                // enum by ordinal. Only an integer into a decimal or floating-point component is taken as is.
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfigDefaults(any -> any.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                // Decimals keep their exact value and scale through the tree model (12.500 stays 12.500).
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .build();
        // A document can never be longer than the payload limit, nor nest deeper than a sane bound.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxDocumentLength(maxBytes)
                .maxStringLength(maxBytes)
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .build());
    }

    /**
     * @return the largest encoded event accepted, in bytes
     */
    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Encodes an event.
     *
     * @param event       the event
     * @param publishedAt when it is published
     * @return the envelope as JSON
     * @throws io.hexbus.api.event.UnknownEventTypeException if its type has no registered name
     * @throws EventTooLargeException if the envelope exceeds the limit, naming the size and the limit
     * @throws IllegalArgumentException if Jackson cannot serialize the event, naming the type
     */
    public EncodedEvent encode(DomainEvent event, Instant publishedAt) {
        String name = eventTypes.nameOf(event.getClass());
        ObjectNode payload = mapper.valueToTree(event);
        payload.remove(EVENT_ID);
        payload.remove(OCCURRED_AT);
        payload.remove(METADATA);
        ObjectNode envelope = mapper.createObjectNode();
        envelope.put("v", FORMAT_VERSION);
        envelope.put("id", event.eventId().toString());
        envelope.put("name", name);
        envelope.put(OCCURRED_AT, event.occurredAt().toString());
        envelope.put("publishedAt", publishedAt.toString());
        envelope.set(METADATA, mapper.valueToTree(event.metadata()));
        envelope.set("payload", payload);
        String json;
        try {
            json = mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + event.getClass().getName() + ": "
                    + e.getOriginalMessage(), e);
        }
        int bytes = utf8Length(json);
        if (bytes > maxBytes) {
            throw new EventTooLargeException("event " + name + " " + event.eventId() + " is " + bytes
                    + " bytes encoded, over the limit of " + maxBytes + " bytes");
        }
        return new EncodedEvent(event.eventId(), name, json);
    }

    /**
     * Decodes an envelope into its event.
     *
     * @param json the envelope
     * @return the event, of the type registered for its name
     * @throws MalformedEventException naming what is wrong: JSON (a duplicate key included), version, a
     *                                 missing field or one of another type, or an unregistered name
     */
    public DomainEvent decode(String json) {
        JsonNode envelope = readTree(json);
        JsonNode version = envelope.get("v");
        if (version == null || !version.isInt() || version.intValue() != FORMAT_VERSION) { // "1" or 1.0 is not 1
            throw new MalformedEventException("unsupported envelope format version " + envelope.path("v")
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
            return mapper.treeToValue(payload, type);
        } catch (MismatchedInputException e) {
            throw new MalformedEventException("payload of '" + name + "' does not fit " + type.getSimpleName()
                    + ": " + e.getOriginalMessage() + " at " + pathOf(e), e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable reason = e.getCause() != null ? e.getCause() : e;
            throw new MalformedEventException("payload of '" + name + "' is invalid for " + type.getSimpleName()
                    + ": " + reason.getMessage(), e);
        }
    }

    private JsonNode readTree(String json) {
        if (json == null) {
            throw new MalformedEventException("entry has no envelope field", null);
        }
        // Checked here: Jackson enforces maxDocumentLength only while it loads more input, never on a String
        // that is already whole, so a huge entry written past the publish check would be parsed in full.
        int bytes = utf8Length(json);
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
            throw new MalformedEventException("envelope is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String requiredText(JsonNode envelope, String field) {
        JsonNode node = envelope.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new MalformedEventException("envelope field '" + field + "' is missing or not text", null);
        }
        return node.asText();
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

    // Counts without copying the string: an event may be a megabyte.
    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
