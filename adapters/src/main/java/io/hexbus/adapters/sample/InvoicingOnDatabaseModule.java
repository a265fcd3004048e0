package io.hexbus.adapters.sample;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.OptionalBinder;
import io.hexbus.adapters.persistence.JdbcInvoiceRepository;
import io.hexbus.adapters.persistence.SampleSchema;
import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.sample.invoicing.application.InvoiceRepository;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

/**
 * The invoices in PostgreSQL: sets invoicing's {@link InvoiceRepository} to a {@link JdbcInvoiceRepository} on the
 * database and the unit of work the outbox module binds, the sample's tables migrated when it is first needed.
 * Installed beside {@link InvoicingModule} and {@link io.hexbus.adapters.guice.OutboxModule}, so that issuing an
 * invoice writes the invoice and its event in one transaction.
 */
public final class InvoicingOnDatabaseModule extends AbstractModule {

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), InvoiceRepository.class).setBinding()
                .to(JdbcInvoiceRepository.class);
    }

    @Provides
    @Singleton
    JdbcInvoiceRepository invoices(JdbcUnitOfWork units, DataSource dataSource) {
        SampleSchema.migrate(dataSource);
        return new JdbcInvoiceRepository(units, dataSource);
    }
}
