package io.hexbus.codec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.UnknownEventTypeException;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.InvalidOrderingKeyException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire format: envelope layout, round trips, tolerant reading, and refusal of hostile or broken input. */
class EventCodecTest {

    /** A nested value inside a payload. */
    public record Address(String street, String city) {
    }

    /** An event with every kind of field the round trip must keep. */
    @EventName(InvoiceIssued.NAME)
    public record InvoiceIssued(UUID eventId, Instant occurredAt, EventMetadata metadata, String invoiceId,
                                BigDecimal total, Address billTo, List<String> lines, Map<String, Integer> quantities,
                                Instant dueAt, String note) implements DomainEvent {
        static final String NAME = "billing.invoice-issued";
    }

    /** An event whose payload is one free-form value, for nesting and size tests. */
    @EventName(Blob.NAME)
    public record Blob(UUID eventId, Instant occurredAt, EventMetadata metadata, Object data) implements DomainEvent {
        static final String NAME = "test.blob";
    }

    /** A value object with helpers beside its components, as domain-sample's Money. */
    public record Amount(BigDecimal value, String currency) {
        public boolean isPositive() {
            return value.signum() > 0;
        }

        public String getLabel() {
            return value.toPlainString() + " " + currency;
        }
    }

    /** An event with helpers of its own and a nested value object with helpers. */
    @EventName(Priced.NAME)
    public record Priced(UUID eventId, Instant occurredAt, EventMetadata metadata, Amount price, boolean rush)
            implements DomainEvent {
        static final String NAME = "test.priced";

        public boolean isFree() {
            return price.value().signum() == 0;
        }

        public String getSummary() {
            return price.getLabel() + (rush ? " (rush)" : "");
        }
    }

    /** An event ordered by its account: its ordering key is derived from a component, and is no component itself. */
    @EventName(Deposited.NAME)
    public record Deposited(UUID eventId, Instant occurredAt, EventMetadata metadata, String accountId, long cents)
            implements DomainEvent {
        static final String NAME = "test.deposited";

        @Override
        public String orderingKey() {
            return "account-" + accountId;
        }
    }

    /** An event whose ordering key is whatever it was given. */
    @EventName(Keyed.NAME)
    public record Keyed(UUID eventId, Instant occurredAt, EventMetadata metadata, String key) implements DomainEvent {
        static final String NAME = "test.keyed";

        @Override
        public String orderingKey() {
            return key;
        }
    }

    /** An event type that nobody registered. */
    public record Unnamed(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    private static final UUID ID = UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    private static final Instant OCCURRED = Instant.parse("2024-06-01T10:15:30.123456789Z");
    private static final Instant PUBLISHED = Instant.parse("2024-06-01T10:15:31Z");
    private static final EventMetadata METADATA = new EventMetadata("corr-1", "cause-1", "tenant-1", "user-1");

    // Reads envelopes the way the codec does: decimals as written (12.500 stays 12.500).
    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();
    private final EventTypeRegistry registry = new EventTypeRegistry().register(InvoiceIssued.class)
            .register(Blob.class).register(Priced.class).register(Deposited.class)
            .register(Keyed.class);
    private final EventCodec codec = EventCodec.builder(registry).maxBytes(1024 * 1024).build();

    private static InvoiceIssued invoice() {
        Map<String, Integer> quantities = new LinkedHashMap<>();
        quantities.put("sku-1", 2);
        quantities.put("sku-2", 5);
        return new InvoiceIssued(ID, OCCURRED, METADATA, "INV-7", new BigDecimal("12.500"),
                new Address("1 Main St", "Springfield"), List.of("a", "b"), quantities,
                Instant.parse("2024-07-01T00:00:00Z"), null);
    }

    private String encoded() {
        return codec.encode(invoice(), PUBLISHED).json();
    }

    private ObjectNode envelope() throws Exception {
        return (ObjectNode) json.readTree(encoded());
    }

    private MalformedEventException refused(String document) {
        return assertThrows(MalformedEventException.class, () -> codec.decode(document));
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual != null && actual.contains(expected), () -> "expected <" + expected + "> in <" + actual + ">");
    }

    // --- round trip and envelope ---

    @Test
    void anEventSurvivesARoundTripWithEveryFieldKept() {
        DomainEvent decoded = codec.decode(encoded());

        assertEquals(invoice(), decoded);
    }

    @Test
    void aDecimalKeepsItsScale() {
        InvoiceIssued decoded = (InvoiceIssued) codec.decode(encoded());

        assertEquals("12.500", decoded.total().toPlainString());
        assertEquals(3, decoded.total().scale());
    }

    @Test
    void theEnvelopeHoldsVersionIdNameTimesMetadataAndPayload() throws Exception {
        ObjectNode envelope = envelope();

        assertEquals(List.of("v", "id", "name", "version", "occurredAt", "publishedAt", "metadata", "payload"),
                fieldNames(envelope));
        assertEquals(EventCodec.FORMAT_VERSION, envelope.get("v").asInt());
        assertEquals(1, envelope.get("version").asInt());
        assertEquals(ID.toString(), envelope.get("id").asText());
        assertEquals(InvoiceIssued.NAME, envelope.get("name").asText());
        assertEquals("2024-06-01T10:15:30.123456789Z", envelope.get("occurredAt").asText());
        assertEquals("2024-06-01T10:15:31Z", envelope.get("publishedAt").asText());
        assertEquals("corr-1", envelope.get("metadata").get("correlationId").asText());
        assertEquals("cause-1", envelope.get("metadata").get("causationId").asText());
        assertEquals("tenant-1", envelope.get("metadata").get("tenantId").asText());
        assertEquals("user-1", envelope.get("metadata").get("performedBy").asText());
    }

    @Test
    void metadataHoldsOnlyTheFieldsThatAreSet() throws Exception {
        Deposited none = new Deposited(ID, OCCURRED, EventMetadata.EMPTY, "acc-1", 100);
        Deposited some = new Deposited(ID, OCCURRED, new EventMetadata("corr-1", null, "tenant-1", null), "acc-1",
                100);

        String empty = codec.encode(none, PUBLISHED).json();
        String partial = codec.encode(some, PUBLISHED).json();

        assertTrue(empty.contains("\"metadata\":{}"), empty);
        assertEquals(List.of("correlationId", "tenantId"), fieldNames(json.readTree(partial).get("metadata")));
        assertEquals(none, codec.decode(empty));
        assertEquals(some, codec.decode(partial));
    }

    @Test
    void publishedAtIsWrittenToTheMillisecond() throws Exception {
        Deposited event = new Deposited(ID, OCCURRED, EventMetadata.EMPTY, "acc-1", 100);

        JsonNode envelope = json.readTree(codec.encode(event, Instant.parse("2024-06-01T10:15:31.987654321Z"))
                .json());

        assertEquals("2024-06-01T10:15:31.987Z", envelope.get("publishedAt").asText());
        assertEquals("2024-06-01T10:15:30.123456789Z", envelope.get("occurredAt").asText(), "the event's own: exact");
    }

    @Test
    void anEnvelopeWithTheFourNullsAsOlderVersionsWroteItStillDecodesEqual() throws Exception {
        Deposited event = new Deposited(ID, OCCURRED, new EventMetadata(null, "cause-1", null, null), "acc-1", 100);
        ObjectNode envelope = (ObjectNode) json.readTree(codec.encode(event, PUBLISHED).json());
        ObjectNode metadata = envelope.putObject("metadata");
        metadata.putNull("correlationId");
        metadata.put("causationId", "cause-1");
        metadata.putNull("tenantId");
        metadata.putNull("performedBy");
        Deposited empty = new Deposited(ID, OCCURRED, EventMetadata.EMPTY, "acc-1", 100);
        ObjectNode emptyEnvelope = (ObjectNode) json.readTree(codec.encode(empty, PUBLISHED).json());
        ObjectNode nulls = emptyEnvelope.putObject("metadata");
        List.of("correlationId", "causationId", "tenantId", "performedBy").forEach(nulls::putNull);

        assertEquals(event, codec.decode(json.writeValueAsString(envelope)));
        assertEquals(empty, codec.decode(json.writeValueAsString(emptyEnvelope)));
        assertEquals(empty, codec.readRouted(Deposited.NAME, ID.toString(), json.writeValueAsString(emptyEnvelope))
                .event());
    }

    @Test
    void thePayloadHoldsTheRecordsOwnFieldsOnly() throws Exception {
        JsonNode payload = envelope().get("payload");

        assertEquals(List.of("invoiceId", "total", "billTo", "lines", "quantities", "dueAt", "note"),
                fieldNames(payload));
        assertEquals("12.500", payload.get("total").toString());
        assertEquals("Springfield", payload.get("billTo").get("city").asText());
        assertEquals("2024-07-01T00:00:00Z", payload.get("dueAt").asText());
        assertTrue(payload.get("note").isNull());
    }

    @Test
    void aRecordsHelperMethodsStayOffTheWire() throws Exception {
        Priced priced = new Priced(ID, OCCURRED, METADATA, new Amount(new BigDecimal("9.90"), "EUR"), true);

        String encoded = codec.encode(priced, PUBLISHED).json();

        JsonNode payload = json.readTree(encoded).get("payload");
        assertEquals(List.of("price", "rush"), fieldNames(payload));
        assertEquals(List.of("value", "currency"), fieldNames(payload.get("price")));
        assertEquals(List.of("correlationId", "causationId", "tenantId", "performedBy"),
                fieldNames(json.readTree(encoded).get("metadata")));
        assertEquals(priced, codec.decode(encoded));
    }

    @Test
    void encodingReportsTheEventIdNameAndOrderingKey() {
        EncodedEvent encoded = codec.encode(invoice(), PUBLISHED);

        assertEquals(ID, encoded.eventId());
        assertEquals(InvoiceIssued.NAME, encoded.name());
        assertEquals(ID.toString(), encoded.orderingKey(), "by default the event id");
    }

    @Test
    void anOrderingKeyStaysOffTheWireAndIsNotNeededToReadTheEventBack() throws Exception {
        Deposited deposited = new Deposited(ID, OCCURRED, METADATA, "A-1", 500);

        EncodedEvent encoded = codec.encode(deposited, PUBLISHED);

        assertEquals("account-A-1", encoded.orderingKey());
        JsonNode envelope = json.readTree(encoded.json());
        assertEquals(List.of("v", "id", "name", "version", "occurredAt", "publishedAt", "metadata", "payload"),
                fieldNames(envelope), "the envelope is the same with an ordering key");
        assertEquals(List.of("accountId", "cents"), fieldNames(envelope.get("payload")));
        assertFalse(encoded.json().contains("orderingKey"), encoded.json());
        DomainEvent decoded = codec.decode(encoded.json());
        assertEquals(deposited, decoded);
        assertEquals("account-A-1", decoded.orderingKey());
        codec.checkRoundTrip(deposited);
    }

    @Test
    void anOrderingKeyThatIsNullBlankOrTooLongIsRefusedByEveryCheckNamingTheType() {
        String longest = "k".repeat(DomainEvent.MAX_ORDERING_KEY_LENGTH);
        for (String key : Arrays.asList(null, "", " \t", longest + "k")) {
            Keyed event = new Keyed(ID, OCCURRED, METADATA, key);

            InvalidOrderingKeyException refused = assertThrows(InvalidOrderingKeyException.class,
                    () -> codec.encode(event, PUBLISHED), "key " + key);
            assertThrows(InvalidOrderingKeyException.class, () -> codec.encodeAll(List.of(invoice(), event),
                    PUBLISHED));
            assertThrows(InvalidOrderingKeyException.class, () -> codec.checkRoundTrip(event));
            assertThrows(InvalidOrderingKeyException.class, () -> EventCodec.checkOrderingKey(event));
            assertContains(Keyed.class.getName() + ".orderingKey()", refused.getMessage());
        }
        Keyed atTheLimit = new Keyed(ID, OCCURRED, METADATA, longest);
        assertEquals(longest, codec.encode(atTheLimit, PUBLISHED).orderingKey());
        EventCodec.checkOrderingKey(atTheLimit);
    }

    @Test
    void missingOrNullMetadataDecodesAsEmpty() throws Exception {
        ObjectNode withNull = envelope();
        withNull.putNull("metadata");
        ObjectNode without = envelope();
        without.remove("metadata");

        assertEquals(EventMetadata.EMPTY, codec.decode(withNull.toString()).metadata());
        assertEquals(EventMetadata.EMPTY, codec.decode(without.toString()).metadata());
    }

    @Test
    void anEventTypeWithoutANameCannotBeEncoded() {
        UnknownEventTypeException e = assertThrows(UnknownEventTypeException.class,
                () -> codec.encode(new Unnamed(ID, OCCURRED), PUBLISHED));

        assertContains(Unnamed.class.getName() + " is not registered", e.getMessage());
    }

    // --- tolerant reader ---

    @Test
    void unknownPayloadFieldsAreIgnored() throws Exception {
        ObjectNode envelope = envelope();
        ((ObjectNode) envelope.get("payload")).put("addedInVersion2", "whatever");
        envelope.put("unknownEnvelopeField", 42);

        assertEquals(invoice(), codec.decode(envelope.toString()));
    }

    @Test
    void anAbsentPayloadFieldReadsAsNullAsAComponentAddedLaterWould() throws Exception {
        ObjectNode envelope = envelope();
        ((ObjectNode) envelope.get("payload")).remove("total");

        InvoiceIssued decoded = (InvoiceIssued) codec.decode(envelope.toString());

        assertNull(decoded.total());
        assertEquals(invoice().invoiceId(), decoded.invoiceId());
    }

    @Test
    void anAbsentPrimitiveIsRefusedNamingIt() throws Exception {
        ObjectNode envelope = (ObjectNode) json.readTree(codec.encode(new Priced(ID, OCCURRED, EventMetadata.EMPTY,
                new Amount(BigDecimal.ONE, "EUR"), true), PUBLISHED).json());
        ((ObjectNode) envelope.get("payload")).remove("rush");

        MalformedEventException e = refused(envelope.toString());

        assertContains("payload of '" + Priced.NAME + "' does not fit Priced", e.getMessage());
        assertContains("rush", e.getMessage());
    }

    @Test
    void anExplicitNullIsAccepted() throws Exception {
        ObjectNode envelope = envelope();
        ((ObjectNode) envelope.get("payload")).putNull("billTo");

        InvoiceIssued decoded = (InvoiceIssued) codec.decode(envelope.toString());

        assertNull(decoded.billTo());
        assertNull(decoded.note());
    }

    @Test
    void aFieldOfTheWrongTypeIsNamedWithItsPath() throws Exception {
        ObjectNode envelope = envelope();
        ((ObjectNode) envelope.get("payload").get("billTo")).putArray("city");

        MalformedEventException e = refused(envelope.toString());

        assertContains("at payload.billTo.city", e.getMessage());
    }

    // --- strict types: a value must already have its component's type ---

    @Test
    void aNumberOrBooleanIsNotReadAsText() throws Exception {
        for (String value : List.of("123", "1.5", "true")) {
            ObjectNode envelope = envelope();
            ((ObjectNode) envelope.get("payload")).set("invoiceId", json.readTree(value));

            MalformedEventException e = refused(envelope.toString());

            assertContains("payload of '" + InvoiceIssued.NAME + "' does not fit InvoiceIssued", e.getMessage());
            assertContains("at payload.invoiceId", e.getMessage());
        }
        ObjectNode inAList = envelope();
        ((ObjectNode) inAList.get("payload")).putArray("lines").add(1);
        assertContains("at payload.lines[0]", refused(inAList.toString()).getMessage());
    }

    @Test
    void aNumberIsNotReadAsTextInTheEnvelopesMetadata() throws Exception {
        ObjectNode envelope = envelope();
        ((ObjectNode) envelope.get("metadata")).put("correlationId", 123);

        assertContains("at envelope.metadata.correlationId", refused(envelope.toString()).getMessage());
    }

    @Test
    void textIsNotReadAsANumber() throws Exception {
        ObjectNode asInteger = envelope();
        ((ObjectNode) asInteger.get("payload").get("quantities")).put("sku-1", "2");
        ObjectNode asDecimal = envelope();
        ((ObjectNode) asDecimal.get("payload")).put("total", "12.500");

        assertContains("at payload.quantities.sku-1", refused(asInteger.toString()).getMessage());
        assertContains("at payload.total", refused(asDecimal.toString()).getMessage());
    }

    @Test
    void aFractionIsNotTruncatedToAnInteger() throws Exception {
        String encoded = encoded();
        assertTrue(encoded.contains("\"sku-1\":2,"), "test setup");
        for (String value : List.of("2.5", "2.0", "2e0")) {
            String document = encoded.replace("\"sku-1\":2,", "\"sku-1\":" + value + ",");

            assertContains("at payload.quantities.sku-1", refused(document).getMessage());
        }
    }

    @Test
    void aNumberIsNotReadAsAnInstant() throws Exception {
        for (String value : List.of("1719792000", "1719792000000", "1719792000.5")) {
            ObjectNode envelope = envelope();
            ((ObjectNode) envelope.get("payload")).set("dueAt", json.readTree(value));

            assertContains("at payload.dueAt", refused(envelope.toString()).getMessage());
        }
    }

    @Test
    void anEmptyStringIsNotReadAsNull() throws Exception {
        ObjectNode envelope = envelope();
        ((ObjectNode) envelope.get("payload")).put("dueAt", "");

        assertContains("at payload.dueAt", refused(envelope.toString()).getMessage());
    }

    @Test
    void anIntegerIsTakenForADecimalAsItIs() throws Exception {
        ObjectNode envelope = envelope();
        ((ObjectNode) envelope.get("payload")).put("total", 12);

        assertEquals(new BigDecimal("12"), ((InvoiceIssued) codec.decode(envelope.toString())).total());
    }

    @Test
    void theFormatVersionMustBeTheIntegerOne() throws Exception {
        for (String value : List.of("\"1\"", "1.0", "true")) {
            ObjectNode envelope = envelope();
            envelope.set("v", json.readTree(value));

            assertContains("unsupported envelope format version " + value, refused(envelope.toString()).getMessage());
        }
    }

    @Test
    void aKeyGivenTwiceIsRefusedInThePayloadTheMetadataAndTheEnvelope() {
        String encoded = encoded();
        Map<String, String> twice = Map.of(
                "\"invoiceId\":\"INV-7\"", "invoiceId",
                "\"city\":\"Springfield\"", "city",
                "\"tenantId\":\"tenant-1\"", "tenantId",
                "\"name\":\"" + InvoiceIssued.NAME + "\"", "name",
                "\"id\":\"" + ID + "\"", "id");
        twice.forEach((field, key) -> {
            assertTrue(encoded.contains(field), () -> "test setup: " + field + " in " + encoded);
            String document = encoded.replace(field, field + "," + field.replace("\":\"", "\":\"x"));

            MalformedEventException e = refused(document);

            assertContains("envelope is not valid JSON", e.getMessage());
            assertContains("'" + key + "'", e.getMessage());
        });
    }

    @Test
    void aPayloadFieldThatTheEnvelopeCarriesIsRefused() throws Exception {
        for (String field : List.of("eventId", "occurredAt", "metadata")) {
            ObjectNode envelope = envelope();
            ((ObjectNode) envelope.get("payload")).put(field, "x");

            assertEquals("payload of '" + InvoiceIssued.NAME + "' has a field '" + field
                    + "', which only the envelope may carry", refused(envelope.toString()).getMessage());
        }
    }

    @Test
    void malformedEventsAreNonRetryable() {
        assertInstanceOf(io.hexbus.api.handling.NonRetryable.class, refused("{"));
    }

    // --- broken envelopes ---

    @Test
    void malformedJsonIsRefused() {
        assertContains("envelope is not valid JSON", refused("{\"v\":1,").getMessage());
    }

    @Test
    void trailingGarbageIsRefused() throws Exception {
        assertContains("envelope is not valid JSON", refused(encoded() + " {}").getMessage());
    }

    @Test
    void aDocumentThatIsNotAnObjectIsRefused() {
        assertEquals("envelope is not a JSON object", refused("[1, 2, 3]").getMessage());
        assertEquals("envelope is not a JSON object", refused("\"text\"").getMessage());
        assertEquals("envelope is not a JSON object", refused("").getMessage());
    }

    @Test
    void aMissingEnvelopeIsRefused() {
        assertEquals("entry has no envelope field", refused(null).getMessage());
    }

    @Test
    void anotherFormatVersionIsRefused() throws Exception {
        ObjectNode envelope = envelope();
        envelope.put("v", 2);

        assertEquals("unsupported envelope format version 2 (this reader understands 1)",
                refused(envelope.toString()).getMessage());
    }

    @Test
    void aMissingFormatVersionIsRefused() throws Exception {
        ObjectNode envelope = envelope();
        envelope.remove("v");

        assertContains("unsupported envelope format version", refused(envelope.toString()).getMessage());
    }

    @Test
    void aMissingOrBlankNameIsRefused() throws Exception {
        ObjectNode missing = envelope();
        missing.remove("name");
        ObjectNode blank = envelope();
        blank.put("name", "  ");
        ObjectNode notText = envelope();
        notText.put("name", 7);

        for (ObjectNode envelope : List.of(missing, blank, notText)) {
            assertEquals("envelope field 'name' is missing or not text", refused(envelope.toString()).getMessage());
        }
    }

    @Test
    void aMissingOrBlankIdIsRefused() throws Exception {
        ObjectNode missing = envelope();
        missing.remove("id");
        ObjectNode blank = envelope();
        blank.put("id", "");

        for (ObjectNode envelope : List.of(missing, blank)) {
            assertEquals("envelope field 'id' is missing or not text", refused(envelope.toString()).getMessage());
        }
    }

    @Test
    void anIdThatIsNotAUuidIsRefused() throws Exception {
        ObjectNode envelope = envelope();
        envelope.put("id", "not-a-uuid");

        assertContains("eventId", refused(envelope.toString()).getMessage());
    }

    @Test
    void aMissingOccurredAtIsRefused() throws Exception {
        ObjectNode envelope = envelope();
        envelope.remove("occurredAt");

        assertEquals("envelope field 'occurredAt' is missing or not text", refused(envelope.toString()).getMessage());
    }

    @Test
    void aMissingPayloadIsRefused() throws Exception {
        ObjectNode envelope = envelope();
        envelope.put("payload", "text");

        assertEquals("envelope of '" + InvoiceIssued.NAME + "' has no payload object",
                refused(envelope.toString()).getMessage());
    }

    @Test
    void anUnregisteredNameIsRefused() throws Exception {
        ObjectNode envelope = envelope();
        envelope.put("name", "billing.unknown");

        assertEquals("unknown event name 'billing.unknown': no type is registered for it in this service's"
                + " EventTypeRegistry", refused(envelope.toString()).getMessage());
    }

    // --- hostile input ---

    @Test
    void aClassNameSmuggledInThePayloadIsIgnored() throws Exception {
        ObjectNode envelope = envelope();
        ObjectNode payload = (ObjectNode) envelope.get("payload");
        payload.put("@class", "java.lang.ProcessBuilder");
        payload.put("@type", "java.lang.Runtime");
        ((ObjectNode) payload.get("billTo")).put("@class", "java.lang.ProcessBuilder");

        DomainEvent decoded = codec.decode(envelope.toString());

        assertEquals(invoice(), decoded);
        assertEquals(InvoiceIssued.class, decoded.getClass());
    }

    @Test
    void aClassNameSmuggledIntoAnUntypedFieldStaysPlainData() throws Exception {
        Blob blob = new Blob(ID, OCCURRED, EventMetadata.EMPTY, Map.of("@class", "java.lang.ProcessBuilder",
                "command", List.of("touch", "/tmp/pwned")));

        Blob decoded = (Blob) codec.decode(codec.encode(blob, PUBLISHED).json());

        assertInstanceOf(Map.class, decoded.data());
        assertEquals(blob.data(), decoded.data());
    }

    @Test
    void anEnvelopeNamedAfterAJavaClassIsAnUnknownName() throws Exception {
        for (String className : List.of("java.lang.ProcessBuilder", InvoiceIssued.class.getName())) {
            ObjectNode envelope = envelope();
            envelope.put("name", className);

            assertEquals("unknown event name '" + className + "': no type is registered for it in this service's"
                    + " EventTypeRegistry", refused(envelope.toString()).getMessage());
        }
    }

    @Test
    void deeplyNestedArraysAreRefusedWithoutOverflowingTheStack() {
        int depth = 10_000;
        String nested = "[".repeat(depth) + "]".repeat(depth);
        String document = "{\"v\":1,\"id\":\"" + ID + "\",\"name\":\"" + Blob.NAME + "\",\"occurredAt\":\""
                + OCCURRED + "\",\"payload\":{\"data\":" + nested + "}}";

        MalformedEventException e = refused(document);

        assertContains("envelope is not valid JSON", e.getMessage());
        assertContains("nesting depth", e.getMessage());
        assertContains(Integer.toString(EventCodec.MAX_NESTING_DEPTH), e.getMessage());
    }

    @Test
    void nestingWithinTheLimitIsAccepted() {
        int depth = EventCodec.MAX_NESTING_DEPTH - 3; // envelope, payload and the field itself take three levels
        String nested = "[".repeat(depth) + "]".repeat(depth);
        String document = "{\"v\":1,\"id\":\"" + ID + "\",\"name\":\"" + Blob.NAME + "\",\"occurredAt\":\""
                + OCCURRED + "\",\"payload\":{\"data\":" + nested + "}}";

        assertInstanceOf(Blob.class, codec.decode(document));
    }

    @Test
    void aDocumentOverTheLimitIsRefusedByTheReadConstraints() {
        EventCodec small = EventCodec.builder(registry).maxBytes(1024).build();
        String document = "{\"v\":1,\"id\":\"" + ID + "\",\"name\":\"" + Blob.NAME + "\",\"occurredAt\":\""
                + OCCURRED + "\",\"payload\":{\"data\":[" + "1,".repeat(1000) + "1]}}";

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> small.decode(document));

        assertEquals("envelope is " + document.length() + " bytes, over the limit of 1024 bytes", e.getMessage());
    }

    @Test
    void aDocumentOverTheLimitIsMeasuredInUtf8Bytes() {
        EventCodec small = EventCodec.builder(registry).maxBytes(1024).build();
        Blob blob = new Blob(ID, OCCURRED, EventMetadata.EMPTY, "é".repeat(450));
        String document = codec.encode(blob, PUBLISHED).json();
        int bytes = document.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertTrue(document.length() <= 1024 && bytes > 1024, "test setup: fewer chars than the limit, more bytes");

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> small.decode(document));

        assertEquals("envelope is " + bytes + " bytes, over the limit of 1024 bytes", e.getMessage());
    }

    @Test
    void aLongStringOverTheLimitIsRefused() {
        EventCodec small = EventCodec.builder(registry).maxBytes(1024).build();
        String document = "{\"v\":1,\"id\":\"" + ID + "\",\"name\":\"" + Blob.NAME + "\",\"occurredAt\":\""
                + OCCURRED + "\",\"payload\":{\"data\":\"" + "x".repeat(2000) + "\"}}";

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> small.decode(document));

        assertEquals("envelope is " + document.length() + " bytes, over the limit of 1024 bytes", e.getMessage());
    }

    // --- size limit at encode ---

    @Test
    void anEventOverTheLimitIsRefusedNamingItsSizeAndTheLimit() {
        EventCodec small = EventCodec.builder(registry).maxBytes(1024).build();
        Blob blob = new Blob(ID, OCCURRED, EventMetadata.EMPTY, "é".repeat(600));
        int size = codec.encode(blob, PUBLISHED).json().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;

        EventTooLargeException e = assertThrows(EventTooLargeException.class, () -> small.encode(blob, PUBLISHED));

        assertEquals("event " + Blob.NAME + " " + ID + " is " + size + " bytes encoded, over the limit of 1024 bytes",
                e.getMessage());
    }

    @Test
    void anEventAtTheLimitIsAccepted() {
        Blob empty = new Blob(ID, OCCURRED, EventMetadata.EMPTY, "");
        int overhead = codec.encode(empty, PUBLISHED).json().length();
        EventCodec small = EventCodec.builder(registry).maxBytes(1024).build();
        Blob blob = new Blob(ID, OCCURRED, EventMetadata.EMPTY, "x".repeat(1024 - overhead));

        EncodedEvent encoded = small.encode(blob, PUBLISHED);

        assertEquals(1024, encoded.json().length());
        assertEquals(blob, small.decode(encoded.json()));
    }

    @Test
    void theLimitIsAtLeastOneKibibyte() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventCodec.builder(registry).maxBytes(1023).build());

        assertEquals("maxBytes must be at least 1024, got 1023", e.getMessage());
        assertEquals(1024, EventCodec.builder(registry).maxBytes(1024).build().maxBytes());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertFalse(names.isEmpty());
        return names;
    }
}
