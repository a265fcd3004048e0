package io.hexbus.sample.spring;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceAuditLog;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceRepository;
import io.hexbus.sample.invoicing.application.IssueInvoiceUseCase;
import io.hexbus.sample.invoicing.application.RecordInvoiceAudit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * The invoicing context: its repository and audit log in memory, its use case, and its handler
 * ({@link RecordInvoiceAudit}, an {@code EventHandler} bean named after its class, as in the Guice app).
 */
@Configuration(proxyBeanMethods = false)
public class InvoicingConfiguration {

    /** @return the invoices */
    @Bean
    public InMemoryInvoiceRepository invoiceRepository() {
        return new InMemoryInvoiceRepository();
    }

    /** @return the audit trail */
    @Bean
    public InMemoryInvoiceAuditLog invoiceAuditLog() {
        return new InMemoryInvoiceAuditLog();
    }

    /**
     * @param invoices the invoices
     * @param eventBus the bus the starter configures
     * @return the use case; without a database, its save and publish are one direct unit of work
     */
    @Bean
    public IssueInvoiceUseCase issueInvoiceUseCase(InMemoryInvoiceRepository invoices, EventBus eventBus) {
        return new IssueInvoiceUseCase(invoices, eventBus, UnitOfWork.direct(), Clock.systemUTC());
    }

    /**
     * @param auditLog the audit trail
     * @return the handler that appends an entry per issued invoice
     */
    @Bean
    public RecordInvoiceAudit recordInvoiceAudit(InMemoryInvoiceAuditLog auditLog) {
        return new RecordInvoiceAudit(auditLog);
    }
}
