package io.hexbus.sample.invoicing.domain;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;
import io.hexbus.sample.shared.Money;
import io.hexbus.sample.shared.PayloadChecks;
import io.hexbus.sample.shared.ValidatedPayload;
import io.vavr.collection.Seq;
import io.vavr.control.Validation;

import java.time.Instant;
import java.util.UUID;

/**
 * An invoice was issued to a company: it is final and numbered. Ordered by its invoice: a transport that orders by
 * key hands an invoice's events to each subscription in the order they were published.
 *
 * @param eventId       the event id
 * @param occurredAt    when it was issued
 * @param metadata      correlation, tenant (the company) and actor
 * @param invoiceId     the invoice
 * @param invoiceNumber its number, as printed
 * @param companyId     the company it is issued to
 * @param billingEmail  the company's billing contact, who is mailed the invoice
 * @param storeId       the store that issued it
 * @param total         the amount due
 * @param performedBy   who issued it
 */
@EventName(InvoiceIssued.NAME)
public record InvoiceIssued(UUID eventId, Instant occurredAt, EventMetadata metadata, String invoiceId,
                            String invoiceNumber, String companyId, String billingEmail, String storeId,
                            Money total, String performedBy)
        implements DomainEvent, ValidatedPayload<InvoiceIssued> {

    /** The stable event name. */
    public static final String NAME = "invoicing.invoice-issued";

    /** @return the invoice id: the events of one invoice are handled in publish order */
    @Override
    public String orderingKey() {
        return invoiceId;
    }

    @Override
    public Validation<Seq<String>, InvoiceIssued> validate() {
        return PayloadChecks.start().text("invoiceId", invoiceId).text("invoiceNumber", invoiceNumber)
                .text("companyId", companyId).email("billingEmail", billingEmail).text("storeId", storeId)
                .positive("total", total).text("performedBy", performedBy)
                .result(this);
    }
}
