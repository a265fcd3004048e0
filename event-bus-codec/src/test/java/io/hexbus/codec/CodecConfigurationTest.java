package io.hexbus.codec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.impl.LaissezFaireSubTypeValidator;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.publishing.EventNotEncodableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the builder configures: the default modules, the caller's modules and mix-ins, and what it refuses. */
class CodecConfigurationTest {

    private static final UUID ID = UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    private static final Instant OCCURRED = Instant.parse("2024-06-01T10:15:30.123456789Z");

    /** A nested value. */
    public record Address(String street, String city) {
    }

    /** A nested value holding another. */
    public record Customer(String name, Address address) {
    }

    /** A list element. */
    public record Line(String sku, int quantity, BigDecimal unitPrice) {
    }

    /** The value kinds an event usually holds. */
    @EventName("test.rich")
    public record Rich(UUID eventId, Instant occurredAt, EventMetadata metadata, Optional<String> coupon,
                       Optional<String> referrer, BigDecimal total, Instant dueAt, Customer customer,
                       List<Line> lines) implements DomainEvent {
    }

    /** A value class with no properties Jackson can see: it needs a module. */
    public static final class Sku {
        private final String code;

        public Sku(String code) {
            this.code = Objects.requireNonNull(code);
        }

        public String code() {
            return code;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Sku sku && sku.code.equals(code);
        }

        @Override
        public int hashCode() {
            return code.hashCode();
        }
    }

    /** An event holding a {@link Sku}. */
    @EventName("test.stocked")
    public record Stocked(UUID eventId, Instant occurredAt, EventMetadata metadata, Sku sku) implements DomainEvent {
    }

    @EventName("test.timed")
    public record Timed(UUID eventId, Instant occurredAt, EventMetadata metadata, Duration timeout,
                        LocalDate due) implements DomainEvent {
    }

    /** A value class Jackson writes through its getters but cannot create: it needs a mix-in. */
    public static final class Money {
        private final long cents;
        private final String currency;

        public Money(long cents, String currency) {
            this.cents = cents;
            this.currency = currency;
        }

        public long getCents() {
            return cents;
        }

        public String getCurrency() {
            return currency;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Money money && money.cents == cents && money.currency.equals(currency);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(cents) * 31 + currency.hashCode();
        }
    }

    /** Gives {@link Money} a creator and its cents another name on the wire. */
    abstract static class MoneyMixIn {
        @JsonCreator
        MoneyMixIn(@JsonProperty("amountInCents") long cents, @JsonProperty("currency") String currency) {
        }

        @JsonProperty("amountInCents")
        abstract long getCents();
    }

    /** An event holding {@link Money}. */
    @EventName("test.charged")
    public record Charged(UUID eventId, Instant occurredAt, EventMetadata metadata, Money amount)
            implements DomainEvent {
    }

    /** Renames a component on the wire, read by {@link WireNames}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT})
    @interface WireName {
        String value();
    }

    /** An annotation introspector of the caller's, as modules for other annotation sets bring. */
    static final class WireNames extends NopAnnotationIntrospector {
        private static final long serialVersionUID = 1L;

        @Override
        public PropertyName findNameForSerialization(Annotated annotated) {
            return wireName(annotated);
        }

        @Override
        public PropertyName findNameForDeserialization(Annotated annotated) {
            return wireName(annotated);
        }

        private static PropertyName wireName(Annotated annotated) {
            WireName name = annotated.getAnnotation(WireName.class);
            return name == null ? null : PropertyName.construct(name.value());
        }
    }

    /** An event with a component renamed by {@link WireNames}. */
    @EventName("test.renamed")
    public record Renamed(UUID eventId, Instant occurredAt, EventMetadata metadata,
                          @WireName("order_ref") String orderRef) implements DomainEvent {
    }

    /** A component type whose subtypes are written with their class name. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
    public interface Shape {
    }

    /** A {@link Shape}. */
    public record Circle(int radius) implements Shape {
    }

    /** An event holding a {@link Shape}. */
    @EventName("test.drawn")
    public record Drawn(UUID eventId, Instant occurredAt, EventMetadata metadata, Shape shape) implements DomainEvent {
    }

    /** A component type whose subtypes a mix-in gives a type id. */
    public interface Tool {
    }

    /** A {@link Tool}. */
    public record Hammer(int weight) implements Tool {
    }

    /** Type ids by class name, through a mix-in. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
    interface ClassIdMixIn {
    }

    /** Type ids by minimal class name, through a mix-in. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.MINIMAL_CLASS)
    interface MinimalClassIdMixIn {
    }

    /** An event holding a {@link Tool}. */
    @EventName("test.built")
    public record Built(UUID eventId, Instant occurredAt, EventMetadata metadata, Tool tool) implements DomainEvent {
    }

    /** A component type whose subtypes are written with a logical name: what the registry's rule allows. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
    @JsonSubTypes(@JsonSubTypes.Type(value = Square.class, name = "square"))
    public interface Figure {
    }

    /** A {@link Figure}. */
    public record Square(int side) implements Figure {
    }

    /** An event holding a {@link Figure}. */
    @EventName("test.sketched")
    public record Sketched(UUID eventId, Instant occurredAt, EventMetadata metadata, Figure figure)
            implements DomainEvent {
    }

    private final ObjectMapper json = JsonMapper.builder().build();
    private final EventTypeRegistry registry = new EventTypeRegistry();

    private static SimpleModule skuModule() {
        return new SimpleModule("sku")
                .addSerializer(Sku.class, new StdSerializer<>(Sku.class) {
                    @Override
                    public void serialize(Sku value, JsonGenerator generator, SerializerProvider provider)
                            throws IOException {
                        generator.writeString(value.code());
                    }
                })
                .addDeserializer(Sku.class, new StdDeserializer<>(Sku.class) {
                    @Override
                    public Sku deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                            return (Sku) context.handleUnexpectedToken(Sku.class, parser);
                        }
                        return new Sku(parser.getText());
                    }
                });
    }

    private JsonNode payloadOf(EventCodec codec, DomainEvent event) throws Exception {
        return json.readTree(codec.encode(event, OCCURRED).json()).get("payload");
    }

    // --- defaults ---

    @Test
    void optionalsDecimalsNanosecondsNestedRecordsAndListsRoundTripEqual() {
        EventCodec codec = EventCodec.of(registry);
        Rich event = new Rich(ID, OCCURRED, EventMetadata.EMPTY, Optional.of("SUMMER"), Optional.empty(),
                new BigDecimal("12.500"), Instant.parse("2024-07-01T00:00:00.000000001Z"),
                new Customer("Ada", new Address("1 Main St", "Springfield")),
                List.of(new Line("sku-1", 2, new BigDecimal("1.10")), new Line("sku-2", 1, new BigDecimal("10"))));

        Rich decoded = (Rich) codec.decode(codec.encode(event, OCCURRED).json());

        assertEquals(event, decoded);
        assertEquals(3, decoded.total().scale());
        assertEquals(2, decoded.lines().get(0).unitPrice().scale());
        assertEquals(1, decoded.dueAt().getNano());
        assertDoesNotThrow(() -> codec.checkRoundTrip(event));
    }

    @Test
    void durationsAndDatesAreIsoTextThatEveryLanguageReads() throws Exception {
        EventCodec codec = EventCodec.of(registry);
        Timed event = new Timed(ID, OCCURRED, EventMetadata.EMPTY, Duration.ofMinutes(90).plusMillis(5),
                LocalDate.of(2025, 3, 2));

        JsonNode payload = payloadOf(codec, event);

        assertEquals("PT1H30M0.005S", payload.get("timeout").textValue());
        assertEquals("2025-03-02", payload.get("due").textValue());
        assertEquals(event, codec.decode(codec.encode(event, OCCURRED).json()));
    }

    // --- modules and mix-ins ---

    @Test
    void aModuleAddedThroughTheBuilderWritesAndReadsItsType() throws Exception {
        EventCodec codec = EventCodec.builder(registry).addModule(skuModule()).build();
        Stocked event = new Stocked(ID, OCCURRED, EventMetadata.EMPTY, new Sku("SKU-1"));

        assertEquals("SKU-1", payloadOf(codec, event).get("sku").textValue());
        assertEquals(event, codec.decode(codec.encode(event, OCCURRED).json()));
        assertDoesNotThrow(() -> codec.checkRoundTrip(event));
    }

    @Test
    void withoutTheModuleTheSameTypeIsNotEncodable() {
        EventCodec codec = EventCodec.of(registry);

        assertThrows(EventNotEncodableException.class, () -> codec.checkRoundTrip(
                new Stocked(ID, OCCURRED, EventMetadata.EMPTY, new Sku("SKU-1"))));
    }

    @Test
    void aModulesAnnotationIntrospectorIsKept() throws Exception {
        SimpleModule wireNames = new SimpleModule("wire-names") {
            private static final long serialVersionUID = 1L;

            @Override
            public void setupModule(SetupContext context) {
                super.setupModule(context);
                context.insertAnnotationIntrospector(new WireNames());
            }
        };
        EventCodec codec = EventCodec.builder(registry).addModule(wireNames).build();
        Renamed event = new Renamed(ID, OCCURRED, EventMetadata.EMPTY, "order-7");

        JsonNode payload = payloadOf(codec, event);

        assertEquals("order-7", payload.path("order_ref").textValue(), payload::toString);
        assertFalse(payload.has("orderRef"), payload::toString);
        assertEquals(event, codec.decode(codec.encode(event, OCCURRED).json()));
    }

    @Test
    void aMixInAddedThroughTheBuilderIsApplied() throws Exception {
        EventCodec codec = EventCodec.builder(registry).addMixIn(Money.class, MoneyMixIn.class).build();
        Charged event = new Charged(ID, OCCURRED, EventMetadata.EMPTY, new Money(1250, "EUR"));

        JsonNode amount = payloadOf(codec, event).get("amount");

        assertEquals(1250, amount.path("amountInCents").longValue(), amount::toString);
        assertFalse(amount.has("cents"), amount::toString);
        assertEquals(event, codec.decode(codec.encode(event, OCCURRED).json()));
        assertDoesNotThrow(() -> codec.checkRoundTrip(event));
    }

    @Test
    void withoutTheMixInTheSameTypeCannotBeReadBack() {
        EventCodec codec = EventCodec.of(registry);

        assertThrows(EventNotEncodableException.class, () -> codec.checkRoundTrip(
                new Charged(ID, OCCURRED, EventMetadata.EMPTY, new Money(1250, "EUR"))));
    }

    // --- what the builder refuses ---

    @Test
    void aModuleThatTurnsOnDefaultTypingIsRefused() {
        for (ObjectMapper.DefaultTyping typing : List.of(ObjectMapper.DefaultTyping.NON_FINAL,
                ObjectMapper.DefaultTyping.JAVA_LANG_OBJECT)) {
            SimpleModule defaultTyping = new SimpleModule("default-typing") {
                private static final long serialVersionUID = 1L;

                @Override
                public void setupModule(SetupContext context) {
                    super.setupModule(context);
                    ((ObjectMapper) context.getOwner()).activateDefaultTyping(LaissezFaireSubTypeValidator.instance,
                            typing);
                }
            };
            EventCodec.Builder builder = EventCodec.builder(registry).addModule(defaultTyping);

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build,
                    typing.name());

            assertTrue(e.getMessage().contains("default typing"), e.getMessage());
        }
    }

    @Test
    void maxBytesBelow1024IsRefused() {
        for (int value : new int[] {1023, 0, -1, Integer.MIN_VALUE}) {
            EventCodec.Builder builder = EventCodec.builder(registry);

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.maxBytes(value));

            assertEquals("maxBytes must be at least 1024, got " + value, e.getMessage());
        }
        assertEquals(1024, EventCodec.builder(registry).maxBytes(1024).build().maxBytes());
        assertEquals(EventCodec.DEFAULT_MAX_BYTES, EventCodec.of(registry).maxBytes());
    }

    // --- class names as type ids ---

    @Test
    void aClassNameTypeIdIsWrittenButRefusedWhenRead() throws Exception {
        EventCodec codec = EventCodec.of(registry);
        Drawn event = new Drawn(ID, OCCURRED, EventMetadata.EMPTY, new Circle(2));
        String written = codec.encode(event, OCCURRED).json();
        assertTrue(written.contains(Circle.class.getName()), written);

        MalformedEventException refused = assertThrows(MalformedEventException.class, () -> codec.decode(written));
        assertTrue(refused.getMessage().contains("PolymorphicTypeValidator"), refused.getMessage());
        EventNotEncodableException e = assertThrows(EventNotEncodableException.class,
                () -> codec.checkRoundTrip(event));
        assertTrue(e.getMessage().startsWith("event test.drawn (" + Drawn.class.getName() + ")"), e.getMessage());
        assertInstanceOf(MalformedEventException.class, e.getCause());
    }

    @Test
    void aClassNameTypeIdFromAMixInIsRefusedWhenRead() {
        for (Class<?> mixIn : List.of(ClassIdMixIn.class, MinimalClassIdMixIn.class)) {
            EventCodec codec = EventCodec.builder(new EventTypeRegistry()).addMixIn(Tool.class, mixIn).build();
            Built event = new Built(ID, OCCURRED, EventMetadata.EMPTY, new Hammer(3));
            String written = codec.encode(event, OCCURRED).json();
            assertTrue(written.contains("Hammer"), written);

            MalformedEventException refused = assertThrows(MalformedEventException.class,
                    () -> codec.decode(written), mixIn.getSimpleName());
            assertTrue(refused.getMessage().contains("PolymorphicTypeValidator"), refused.getMessage());
            assertThrows(EventNotEncodableException.class, () -> codec.checkRoundTrip(event), mixIn.getSimpleName());
        }
    }

    @Test
    void aLogicalNameTypeIdRoundTrips() throws Exception {
        EventCodec codec = EventCodec.of(registry);
        Sketched event = new Sketched(ID, OCCURRED, EventMetadata.EMPTY, new Square(4));

        assertEquals("square", payloadOf(codec, event).path("figure").path("@type").textValue());
        assertEquals(event, codec.decode(codec.encode(event, OCCURRED).json()));
    }
}
