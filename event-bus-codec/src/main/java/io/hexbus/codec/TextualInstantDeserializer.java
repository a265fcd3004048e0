package io.hexbus.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import java.io.IOException;
import java.time.Instant;

/**
 * Reads an {@link Instant} only from ISO-8601 text, as this codec writes it. Jackson's own deserializer
 * also takes a number as epoch seconds, which a writer meaning milliseconds would turn silently into a
 * date 50,000 years away; no coercion setting reaches it, so this refuses numbers before delegating.
 */
final class TextualInstantDeserializer extends StdScalarDeserializer<Instant> {

    TextualInstantDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        // An embedded Instant is the codec's own fast path for occurredAt (already parsed, see CanonicalInstants).
        if (parser.hasToken(JsonToken.VALUE_STRING) || parser.hasToken(JsonToken.VALUE_EMBEDDED_OBJECT)) {
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
        return (Instant) context.handleUnexpectedToken(Instant.class, parser);
    }
}
