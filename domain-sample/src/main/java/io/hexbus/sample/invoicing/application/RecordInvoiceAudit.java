package io.hexbus.sample.invoicing.application;

import io.hexbus.api.handling.EventHandler;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import jakarta.inject.Inject;

import java.util.Objects;

/**
 * Records every issued invoice in the audit trail. Registered under its class name, a stable subscription.
 */
public final class RecordInvoiceAudit implements EventHandler<InvoiceIssued> {

    private final InvoiceAuditLog auditLog;

    /**
     * @param auditLog the trail to append to
     */
    @Inject
    public RecordInvoiceAudit(InvoiceAuditLog auditLog) {
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    @Override
    public void handle(InvoiceIssued event) {
        auditLog.append("invoice " + event.invoiceNumber() + " issued to company " + event.companyId() + " for "
                + event.total().amount() + " " + event.total().currency() + " by " + event.performedBy()
                + " (event " + event.eventId() + ")");
    }
}
