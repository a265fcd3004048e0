package io.hexbus.sample.invoicing.application;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.Registration;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Objects;

/**
 * Registers invoicing's own handlers: the audit entry of every issued invoice. (The invoice mail is the
 * notifications module's subscription on the same event.) A composition root calls {@link #register} once at
 * start; a Guice multibinder can contribute it as it is.
 */
public final class InvoicingHandlers {

    private final InvoiceAuditLog auditLog;

    /**
     * @param auditLog the audit trail the handler appends to
     */
    @Inject
    public InvoicingHandlers(InvoiceAuditLog auditLog) {
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /**
     * @param processor the processor to register with
     * @return the registrations, in registration order; removing them undoes this call
     * @throws io.hexbus.api.handling.DuplicateSubscriptionException if they were registered before
     */
    public List<Registration> register(DomainEventsProcessor processor) {
        return List.of(processor.register(InvoiceIssued.class, new RecordInvoiceAudit(auditLog)));
    }
}
