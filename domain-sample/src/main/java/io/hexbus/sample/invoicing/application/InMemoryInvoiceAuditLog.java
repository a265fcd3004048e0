package io.hexbus.sample.invoicing.application;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sample's audit trail, kept in memory. Thread-safe.
 */
public final class InMemoryInvoiceAuditLog implements InvoiceAuditLog {

    private final List<String> entries = new CopyOnWriteArrayList<>();

    @Override
    public void append(String entry) {
        entries.add(entry);
    }

    @Override
    public List<String> entries() {
        return List.copyOf(entries);
    }
}
