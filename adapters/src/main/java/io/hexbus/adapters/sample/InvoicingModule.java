package io.hexbus.adapters.sample;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import io.hexbus.adapters.guice.HandlerRegistrar;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceAuditLog;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceRepository;
import io.hexbus.sample.invoicing.application.InvoiceAuditLog;
import io.hexbus.sample.invoicing.application.InvoiceRepository;
import io.hexbus.sample.invoicing.application.InvoicingHandlers;
import jakarta.inject.Singleton;

/**
 * The invoicing context: its invoice repository (in memory, unless a module sets another through
 * {@code OptionalBinder}: PostgreSQL's, on a database), its in-memory audit log, and its handlers
 * ({@link InvoicingHandlers}: the audit entry of every issued invoice) as a {@link HandlerRegistrar}.
 */
public final class InvoicingModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(InMemoryInvoiceRepository.class).in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), InvoiceRepository.class).setDefault()
                .to(InMemoryInvoiceRepository.class);
        bind(InMemoryInvoiceAuditLog.class).in(Singleton.class);
        bind(InvoiceAuditLog.class).to(InMemoryInvoiceAuditLog.class);
    }

    @ProvidesIntoSet
    HandlerRegistrar invoicingHandlers(InvoicingHandlers handlers) {
        return handlers::register;
    }
}
