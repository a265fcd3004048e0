package io.hexbus.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.hexbus.sample.shared.Money;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sample's events through the codec every transport shares: value objects cross as their components only. */
class SampleEventsOnTheWireTest {

    private final EventCodec codec = EventCodec.of(new EventTypeRegistry().register(InvoiceIssued.class));

    @Test
    void moneyCrossesAsItsAmountAndCurrencyAloneAndComesBackEqual() throws Exception {
        InvoiceIssued issued = new InvoiceIssued(UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"),
                Instant.parse("2025-01-31T12:00:00Z"), EventMetadata.EMPTY, "inv-1", "F-2025-001", "company-1",
                "billing@example.com", "store-1", Money.of("120.50", "EUR"), "user-1");

        String json = codec.encode(issued, Instant.parse("2025-01-31T12:00:01Z")).json();

        JsonNode total = new ObjectMapper().readTree(json).get("payload").get("total");
        List<String> fields = new ArrayList<>();
        total.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("amount", "currency"), fields); // not Money.isPositive() as "positive"
        assertEquals(issued, codec.decode(json));
    }

    @Test
    void anInvoicesOrderingKeyIsItsIdOffTheWireAndStillItsIdReadBack() throws Exception {
        InvoiceIssued issued = new InvoiceIssued(UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c"),
                Instant.parse("2025-01-31T12:00:00Z"), EventMetadata.EMPTY, "inv-2", "F-2025-002", "company-1",
                "billing@example.com", "store-1", Money.of("9.90", "EUR"), "user-1");

        EncodedEvent encoded = codec.encode(issued, Instant.parse("2025-01-31T12:00:01Z"));

        assertEquals("inv-2", encoded.orderingKey(), "what a Kafka record is keyed by");
        List<String> payload = new ArrayList<>();
        new ObjectMapper().readTree(encoded.json()).get("payload").fieldNames().forEachRemaining(payload::add);
        assertEquals(List.of("invoiceId", "invoiceNumber", "companyId", "billingEmail", "storeId", "total",
                "performedBy"), payload, "no orderingKey field: the envelope is unchanged");
        assertEquals("inv-2", codec.decode(encoded.json()).orderingKey());
    }
}
