package io.hexbus.sample.invoicing.domain;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;

import java.time.Instant;
import java.util.UUID;

/**
 * An invoice was issued to a company: it is final and numbered.
 *
 * @param eventId       the event id
 * @param occurredAt    when it was issued
 * @param metadata      correlation, tenant (the company) and actor
 * @param invoiceId     the invoice
 * @param invoiceNumber its number, as printed
 * @param companyId     the company it is issued to
 * @param storeId       the store that issued it
 * @param total         the amount due
 * @param performedBy   who issued it
 */
@EventName(InvoiceIssued.NAME)
public record InvoiceIssued(UUID eventId, Instant occurredAt, EventMetadata metadata, String invoiceId,
                            String invoiceNumber, String companyId, String storeId, Money total,
                            String performedBy) implements DomainEvent {

    /** The stable event name. */
    public static final String NAME = "invoicing.invoice-issued";
}
