package io.hexbus.sample.invoicing.application;

import io.hexbus.sample.invoicing.domain.Invoice;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sample's own persistence: invoices in a map. Thread-safe.
 */
public final class InMemoryInvoiceRepository implements InvoiceRepository {

    private final Map<String, Invoice> invoices = new ConcurrentHashMap<>();

    @Override
    public Optional<Invoice> findById(String invoiceId) {
        return Optional.ofNullable(invoices.get(invoiceId));
    }

    @Override
    public List<Invoice> findIssued() {
        return invoices.values().stream().filter(invoice -> invoice.status() == Invoice.Status.ISSUED).toList();
    }

    @Override
    public void save(Invoice invoice) {
        invoices.put(invoice.id(), invoice);
    }
}
