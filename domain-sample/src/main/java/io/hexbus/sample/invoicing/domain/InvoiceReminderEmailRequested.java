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
 * An issued invoice is still unpaid: its billing contact is to be reminded. Ordered by its invoice.
 *
 * @param eventId       the event id: derived from the invoice and the reminder's day, so a retried reminder run
 *                      publishes the same ids and each invoice is reminded once a day
 * @param occurredAt    the time of the reminder run's tick
 * @param metadata      tenant (the company)
 * @param invoiceId     the invoice
 * @param invoiceNumber its number, as printed
 * @param companyId     the company it is issued to
 * @param billingEmail  the company's billing contact
 * @param total         the amount due
 */
@EventName(InvoiceReminderEmailRequested.NAME)
public record InvoiceReminderEmailRequested(UUID eventId, Instant occurredAt, EventMetadata metadata,
                                            String invoiceId, String invoiceNumber, String companyId,
                                            String billingEmail, Money total)
        implements DomainEvent, ValidatedPayload<InvoiceReminderEmailRequested> {

    /** The stable event name. */
    public static final String NAME = "invoicing.invoice-reminder-email-requested";

    /** @return the invoice id */
    @Override
    public String orderingKey() {
        return invoiceId;
    }

    @Override
    public Validation<Seq<String>, InvoiceReminderEmailRequested> validate() {
        return PayloadChecks.start().text("invoiceId", invoiceId).text("invoiceNumber", invoiceNumber)
                .text("companyId", companyId).email("billingEmail", billingEmail).positive("total", total)
                .result(this);
    }
}
