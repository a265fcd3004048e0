package io.hexbus.codec;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds the one Jackson configuration every envelope is written and read with. Strict about types, tolerant
 * of unknown fields and of absent components, bounded in size and depth, and closed to class names from the
 * wire whatever the caller's modules and mix-ins ask for.
 */
final class StrictJsonMapper {

    private StrictJsonMapper() {
    }

    static ObjectMapper build(int maxBytes, List<Module> modules, Map<Class<?>, Class<?>> mixIns) {
        JsonMapper.Builder builder = JsonMapper.builder()
                // Set before any module is registered: a module may insert an introspector of its own (another
                // annotation set), which setting this afterwards would replace.
                .annotationIntrospector(new RecordComponentsOnly())
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("hexbus-strict-instant")
                        .addDeserializer(Instant.class, new TextualInstantDeserializer()));
        modules.forEach(builder::addModule);
        mixIns.forEach(builder::addMixIn);
        ObjectMapper mapper = builder
                // A type id naming a class (@JsonTypeInfo(use = CLASS) on a user's type or mix-in) is refused:
                // the registry is the only way from the wire to a type. Ids by name (@JsonSubTypes) still work.
                .polymorphicTypeValidator(NoClassNames.INSTANCE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // A Duration as ISO-8601 text ("PT30S"), which every language reads, not decimal seconds.
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // A component added later is absent from older entries: it reads as null (or Optional.empty()),
                // and the record's constructor decides whether that is a default or an error.
                .disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
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
        // A module is handed the mapper when it is registered and could have turned default typing on.
        if (mapper.getDeserializationConfig().getDefaultTyper(mapper.constructType(Object.class)) != null
                || mapper.getSerializationConfig().getDefaultTyper(mapper.constructType(Object.class)) != null) {
            throw new IllegalArgumentException("a module turned Jackson's default typing on: hexbus never reads"
                    + " class names from the wire, so the codec refuses it");
        }
        // A document can never be longer than the payload limit, nor nest deeper than a sane bound.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxDocumentLength(maxBytes)
                .maxStringLength(maxBytes)
                .maxNestingDepth(EventCodec.MAX_NESTING_DEPTH)
                .build());
        return mapper;
    }

    /** Denies every type id that names a class; ids by logical name never reach a validator. */
    private static final class NoClassNames extends PolymorphicTypeValidator.Base {

        private static final long serialVersionUID = 1L;
        static final NoClassNames INSTANCE = new NoClassNames();

        @Override
        public Validity validateBaseType(MapperConfig<?> config, JavaType baseType) {
            return Validity.DENIED;
        }

        @Override
        public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
            return Validity.DENIED;
        }

        @Override
        public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
            return Validity.DENIED;
        }
    }
}
