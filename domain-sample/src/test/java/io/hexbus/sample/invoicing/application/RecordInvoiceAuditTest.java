package io.hexbus.sample.invoicing.application;

import io.hexbus.api.event.EventMetadata;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.hexbus.sample.shared.Money;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecordInvoiceAuditTest {

    @Test
    void appendsOneEntryNamingTheInvoiceCompanyTotalActorAndEvent() {
        InvoiceAuditLog log = new InMemoryInvoiceAuditLog();
        UUID eventId = UUID.fromString("01900000-0000-7000-8000-000000000001");

        new RecordInvoiceAudit(log).handle(new InvoiceIssued(eventId, Instant.now(), EventMetadata.EMPTY, "inv-1",
                "2026-0001", "company-9", "billing@company9.example", "store-3", Money.of("120.50", "EUR"),
                "user-42"));

        assertEquals(List.of("invoice 2026-0001 issued to company company-9 for 120.50 EUR by user-42 (event "
                + eventId + ")"), log.entries());
    }
}
