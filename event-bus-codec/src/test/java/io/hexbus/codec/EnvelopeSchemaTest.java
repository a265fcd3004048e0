package io.hexbus.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.TraceContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/envelope.schema.json, the envelope's contract for services in other languages, against the envelopes
 * {@link EventCodec} really writes: each of them passes, the broken ones fail for the reason expected, and the
 * schema's constants are the code's.
 */
class EnvelopeSchemaTest {

    // Surefire runs in the module's directory; the docs live beside the modules.
    private static final Path SCHEMA_FILE = Path.of("..", "docs", "envelope.schema.json");
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    /** A nested value. */
    public record Address(String street, String city, String country) {
    }

    /** A nested value inside a list. */
    public record Line(String sku, int quantity, BigDecimal unitPrice, List<String> tags) {
    }

    /** An enum on the wire. */
    public enum Status { OPEN, PAID }

    /** No metadata component: the interface's EMPTY is written. */
    @EventName("shop.order-placed")
    public record OrderPlaced(UUID eventId, Instant occurredAt, String orderId, long totalCents)
            implements DomainEvent {
    }

    /** Nested records, a list of records, a map, an Optional, a date, an enum, a decimal, a boolean. */
    @EventName("billing.invoice-issued")
    public record InvoiceIssued(UUID eventId, Instant occurredAt, EventMetadata metadata, String invoiceId,
                                BigDecimal total, Address billTo, List<Line> lines, Map<String, Integer> quantities,
                                Optional<String> note, LocalDate dueOn, Status status, boolean paid)
            implements DomainEvent {
    }

    /** A type at version 2 of its shape. */
    @EventName(value = "shop.order-shipped", version = 2)
    public record OrderShipped(UUID eventId, Instant occurredAt, EventMetadata metadata, String orderId,
                               Address shippedTo) implements DomainEvent {
    }

    /** An empty payload, and a name with every kind of character the grammar allows. */
    @EventName("Tenant_1:ops/health.ping-sent")
    public record Ping(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    /** Payload fields named like envelope fields: only eventId, occurredAt and metadata belong to the envelope. */
    @EventName("test.look-alike")
    public record LookAlike(UUID eventId, Instant occurredAt, String id, String name, int version, String v,
                            Map<String, String> payload) implements DomainEvent {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final EventTypeRegistry REGISTRY = new EventTypeRegistry().register(OrderPlaced.class)
            .register(InvoiceIssued.class).register(OrderShipped.class).register(Ping.class)
            .register(LookAlike.class);
    private static final EventCodec CODEC = EventCodec.of(REGISTRY);
    private static final Instant PUBLISHED = Instant.parse("2025-01-31T12:00:01.250Z");
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static JsonNode schemaDocument;
    private static Schema schema;

    @BeforeAll
    static void loadTheSchema() throws IOException {
        if (!Files.isRegularFile(SCHEMA_FILE)) {
            fail("the envelope schema is missing: expected it at " + SCHEMA_FILE.toAbsolutePath().normalize()
                    + " (docs/envelope.schema.json, one level above event-bus-codec)");
        }
        schemaDocument = JSON.readTree(SCHEMA_FILE.toFile());
        schema = registry().getSchema(schemaDocument);
    }

    // Formats are annotations only in 2020-12 unless asked for: the schema's uuid and date-time should bite.
    private static SchemaRegistry registry() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    static Stream<DomainEvent> realEvents() {
        EventMetadata everything = new EventMetadata("checkout-8c1f", "cmd-0042", "acme", "user-42");
        InvoiceIssued invoice = new InvoiceIssued(EventIds.newId(), Instant.parse("2025-01-31T12:00:00.123Z"),
                everything, "INV-2025-0042", new BigDecimal("119.00"), new Address("1 Main St", "Springfield", "US"),
                List.of(new Line("sku-1", 2, new BigDecimal("9.50"), List.of("gift", "fragile")),
                        new Line("sku-2", 1, new BigDecimal("100"), List.of())),
                new LinkedHashMap<>(Map.of("sku-1", 2)), Optional.of("thank you"), LocalDate.parse("2025-03-02"),
                Status.OPEN, false);
        return Stream.of(
                new OrderPlaced(EventIds.newId(), Instant.parse("2025-01-31T12:00:00Z"), "order-1", 11_900),
                invoice,
                new InvoiceIssued(EventIds.newId(), Instant.parse("2025-01-31T12:00:00.123456Z"),
                        EventMetadata.causedBy(invoice), "INV-2025-0043", BigDecimal.ZERO,
                        new Address("2 Side St", null, "FR"), List.of(), Map.of(), Optional.empty(), null,
                        Status.PAID, true),
                new OrderShipped(EventIds.newId(), Instant.parse("2025-01-31T12:00:00.123456789Z"),
                        EventMetadata.EMPTY.withTenantId("t".repeat(EventMetadata.MAX_LENGTH)), "order-1",
                        new Address("1 Main St", "Springfield", "US")),
                new Ping(UUID.randomUUID(), Instant.parse("1970-01-01T00:00:00Z")),
                new LookAlike(EventIds.newId(), Instant.parse("2025-01-31T12:00:00Z"), "an id", "a name", 0, "zero",
                        Map.of("eventId", "only a map key here")));
    }

    @ParameterizedTest
    @MethodSource("realEvents")
    void everyEnvelopeTheCodecWritesIsValid(DomainEvent event) throws IOException {
        JsonNode envelope = JSON.readTree(CODEC.encode(event, PUBLISHED).json());

        assertValid(envelope);
    }

    @Test
    void theVersionWrittenIsTheTypesVersion() throws IOException {
        OrderShipped shipped = new OrderShipped(EventIds.newId(), Instant.now(), EventMetadata.EMPTY, "order-1",
                null);

        JsonNode envelope = JSON.readTree(CODEC.encode(shipped, PUBLISHED).json());

        assertEquals(2, envelope.get("version").intValue());
        assertValid(envelope);
    }

    /** What the reader must refuse: each broken envelope fails at the field named, by the keyword named. */
    record Broken(String what, Consumer<ObjectNode> breakIt, String at, String keyword, boolean readerRefuses) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Broken> brokenEnvelopes() {
        return Stream.of(
                new Broken("no id", e -> e.remove("id"), "", "required", true),
                new Broken("an id that is no UUID", e -> e.put("id", "order-42"), "/id", "pattern", true),
                new Broken("no name", e -> e.remove("name"), "", "required", true),
                new Broken("a name with a space", e -> e.put("name", "billing invoice-issued"), "/name", "pattern",
                        true),
                new Broken("a name starting with a dot", e -> e.put("name", ".billing.invoice-issued"), "/name",
                        "pattern", true),
                new Broken("a name of 201 characters", e -> e.put("name", "n".repeat(201)), "/name", "pattern", true),
                new Broken("a name with a trailing newline", e -> e.put("name", "billing.invoice-issued\n"), "/name",
                        "pattern", true),
                new Broken("version 0", e -> e.put("version", 0), "/version", "minimum", true),
                new Broken("version as text", e -> e.put("version", "2"), "/version", "type", true),
                new Broken("format 2", e -> e.put("v", 2), "/v", "const", true),
                new Broken("format as text", e -> e.put("v", "1"), "/v", "type", true),
                new Broken("no format", e -> e.remove("v"), "", "required", true),
                new Broken("a payload carrying eventId", e -> payload(e).put("eventId", e.get("id").asText()),
                        "/payload", "propertyNames", true),
                new Broken("a payload carrying occurredAt", e -> payload(e).put("occurredAt", "2025-01-31T12:00:00Z"),
                        "/payload", "propertyNames", true),
                new Broken("a payload carrying metadata", e -> payload(e).putObject("metadata"), "/payload",
                        "propertyNames", true),
                new Broken("a payload that is an array", e -> e.putArray("payload"), "/payload", "type", true),
                new Broken("no payload", e -> e.remove("payload"), "", "required", true),
                new Broken("occurredAt in epoch milliseconds", e -> e.put("occurredAt", 1_738_324_800_000L),
                        "/occurredAt", "type", true),
                new Broken("occurredAt on a day that does not exist", e -> e.put("occurredAt", "2025-02-30T12:00:00Z"),
                        "/occurredAt", "format", true),
                new Broken("no occurredAt", e -> e.remove("occurredAt"), "", "required", true),
                new Broken("a blank correlationId", e -> metadata(e).put("correlationId", "  "),
                        "/metadata/correlationId", "pattern", true),
                new Broken("a tenantId over 256 characters", e -> metadata(e).put("tenantId", "t".repeat(257)),
                        "/metadata/tenantId", "maxLength", true),
                new Broken("a number as performedBy", e -> metadata(e).put("performedBy", 42),
                        "/metadata/performedBy", "type", true),
                // Stricter than the Java reader, which takes these; the schema is what a writer must write.
                new Broken("an id in upper case", e -> e.put("id", e.get("id").asText().toUpperCase()), "/id",
                        "pattern", false),
                new Broken("occurredAt with an offset", e -> e.put("occurredAt", "2025-01-31T14:00:00+02:00"),
                        "/occurredAt", "pattern", false),
                new Broken("no publishedAt", e -> e.remove("publishedAt"), "", "required", false),
                new Broken("metadata null", e -> e.putNull("metadata"), "/metadata", "type", false),
                // A trace context is never worth refusing an event: the reader drops one it cannot use.
                new Broken("a trace without traceparent", e -> e.putObject("trace").put("tracestate", "k=v"),
                        "/trace", "required", false),
                new Broken("a traceparent of 129 characters", e -> e.putObject("trace").put("traceparent",
                        "0".repeat(129)), "/trace/traceparent", "maxLength", false),
                new Broken("a blank tracestate", e -> e.putObject("trace").put("traceparent", TRACEPARENT)
                        .put("tracestate", " "), "/trace/tracestate", "pattern", false),
                new Broken("a trace that is text", e -> e.put("trace", TRACEPARENT), "/trace", "type", false));
    }

    @ParameterizedTest
    @MethodSource("brokenEnvelopes")
    void theSchemaRefusesABrokenEnvelope(Broken broken) throws IOException {
        ObjectNode envelope = invoiceEnvelope();
        broken.breakIt().accept(envelope);

        List<Error> errors = schema.validate(envelope);

        assertTrue(errors.stream().anyMatch(error -> broken.at().equals(error.getInstanceLocation().toString())
                        && broken.keyword().equals(error.getKeyword())),
                () -> "expected a '" + broken.keyword() + "' error at '" + broken.at() + "', got " + describe(errors));
        if (broken.readerRefuses()) {
            assertThrows(MalformedEventException.class, () -> CODEC.decode(envelope.toString()),
                    "docs/wire-format.md says the reader refuses " + broken.what());
        } else {
            assertDoesNotThrow(() -> CODEC.decode(envelope.toString()),
                    "the schema's descriptions say the reader still takes " + broken.what());
        }
    }

    @Test
    void theMissingFieldIsNamed() throws IOException {
        ObjectNode envelope = invoiceEnvelope();
        envelope.remove("id");

        List<Error> errors = schema.validate(envelope);

        assertEquals(List.of("id"), errors.stream().map(Error::getProperty).toList(), describe(errors));
    }

    /** What another language's writer may well write: valid, and read by hexbus. */
    static Stream<Named> otherWritersEnvelopes() {
        return Stream.of(
                new Named("no version (entries from before versions existed)", e -> e.remove("version")),
                new Named("one fraction digit", e -> e.put("occurredAt", "2025-01-31T12:00:00.5Z")),
                new Named("no fraction", e -> e.put("occurredAt", "2025-01-31T12:00:00Z")),
                new Named("an envelope field this reader does not know", e -> e.put("traceparent",
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")),
                new Named("a trace context", e -> e.putObject("trace").put("traceparent", TRACEPARENT)
                        .put("tracestate", "vendor=opaque")),
                new Named("a trace context without tracestate", e -> e.putObject("trace")
                        .put("traceparent", TRACEPARENT)),
                new Named("a metadata field this reader does not know", e -> metadata(e).put("region", "eu-west-1")),
                new Named("metadata with absent fields", e -> e.putObject("metadata").put("correlationId", "c-1")),
                new Named("a payload field the record does not have", e -> payload(e).put("addedLater", true)));
    }

    /** One change to an envelope, named for the report. */
    record Named(String what, Consumer<ObjectNode> change) {
        @Override
        public String toString() {
            return what;
        }
    }

    @ParameterizedTest
    @MethodSource("otherWritersEnvelopes")
    void whatTheSchemaAllowsTheReaderReads(Named variant) throws IOException {
        ObjectNode envelope = invoiceEnvelope();
        variant.change().accept(envelope);

        assertValid(envelope);
        DomainEvent read = CODEC.decode(envelope.toString());
        assertEquals(envelope.get("id").asText(), read.eventId().toString());
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() {
        Schema metaSchema = registry().getSchema(SchemaLocation.of(META_SCHEMA));

        List<Error> errors = metaSchema.validate(schemaDocument);

        assertEquals(META_SCHEMA, schemaDocument.path("$schema").asText());
        assertTrue(errors.isEmpty(), () -> describe(errors));
        assertTrue(schemaDocument.path("$id").asText().endsWith("/docs/envelope.schema.json"));
        assertFalse(schemaDocument.path("title").asText().isBlank());
        assertFalse(schemaDocument.path("description").asText().isBlank());
    }

    @Test
    void anEnvelopeWithATraceContextIsValid() throws IOException {
        JsonNode envelope = JSON.readTree(CODEC.encode(realEvents().toList().get(1), PUBLISHED,
                new TraceContext(TRACEPARENT, "vendor=opaque")).json());

        assertValid(envelope);
        assertEquals(TRACEPARENT, envelope.get("trace").get("traceparent").asText());
    }

    @Test
    void theSchemaNamesEveryFieldTheCodecWritesWithTheCodesConstraints() throws IOException {
        JsonNode properties = schemaDocument.get("properties");
        // With a trace context, the codec writes every field it has, optional ones included.
        JsonNode written = JSON.readTree(CODEC.encode(realEvents().toList().get(1), PUBLISHED,
                new TraceContext(TRACEPARENT, "vendor=opaque")).json());

        assertEquals(fieldNames(written), fieldNames(properties));
        assertEquals(List.of("traceparent", "tracestate"), fieldNames(properties.get("trace").get("properties")));
        assertEquals(TraceContext.MAX_TRACEPARENT_LENGTH,
                properties.get("trace").get("properties").get("traceparent").get("maxLength").intValue());
        assertEquals(TraceContext.MAX_TRACESTATE_LENGTH,
                properties.get("trace").get("properties").get("tracestate").get("maxLength").intValue());
        List<String> required = new ArrayList<>(fieldNames(written));
        required.remove("version"); // absent in entries written before versions: read as 1
        required.remove("trace"); // written only when the publish had a trace context
        assertEquals(required, textsOf(schemaDocument.get("required")));
        assertEquals(EventCodec.FORMAT_VERSION, properties.get("v").get("const").intValue());
        assertEquals("^" + EventTypeRegistry.NAME_PATTERN + "$", properties.get("name").get("pattern").asText());
        assertEquals(1, properties.get("version").get("minimum").intValue());
        assertEquals(Arrays.stream(EventMetadata.class.getRecordComponents()).map(c -> c.getName()).toList(),
                fieldNames(properties.get("metadata").get("properties")));
        assertEquals(EventMetadata.MAX_LENGTH,
                schemaDocument.get("$defs").get("metadataValue").get("maxLength").intValue());
        assertEquals(List.of("eventId", "occurredAt", "metadata"),
                textsOf(properties.get("payload").get("propertyNames").get("not").get("enum")));
        assertTrue(schemaDocument.get("additionalProperties").booleanValue(), "readers ignore unknown fields");
    }

    private static ObjectNode invoiceEnvelope() throws IOException {
        return (ObjectNode) JSON.readTree(CODEC.encode(realEvents().toList().get(1), PUBLISHED).json());
    }

    private static ObjectNode payload(ObjectNode envelope) {
        return (ObjectNode) envelope.get("payload");
    }

    private static ObjectNode metadata(ObjectNode envelope) {
        return (ObjectNode) envelope.get("metadata");
    }

    private static void assertValid(JsonNode envelope) {
        List<Error> errors = schema.validate(envelope);
        assertTrue(errors.isEmpty(), () -> "envelope " + envelope + " breaks the schema: " + describe(errors));
    }

    private static String describe(List<Error> errors) {
        return errors.stream().map(e -> "'" + e.getInstanceLocation() + "' " + e.getKeyword() + ": " + e.getMessage())
                .toList().toString();
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> textsOf(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
