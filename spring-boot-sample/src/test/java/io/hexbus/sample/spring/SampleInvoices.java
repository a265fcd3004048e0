package io.hexbus.sample.spring;

import io.hexbus.sample.invoicing.application.InMemoryInvoiceRepository;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.shared.Money;

import java.util.UUID;

/** Drafts for the tests, each with its own id and billing address. */
final class SampleInvoices {

    private SampleInvoices() {
    }

    /**
     * @param invoices where the draft is saved
     * @return the draft's id; its billing address is {@code <id>@example.com}
     */
    static String draft(InMemoryInvoiceRepository invoices) {
        String id = "invoice-" + UUID.randomUUID();
        invoices.save(Invoice.draft(id, "INV-" + id.substring(8, 16), "acme", id + "@example.com", "store-1",
                Money.of("42.00", "EUR")));
        return id;
    }
}
