package io.hexbus.sample.invoicing.domain;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventName;

import java.time.Instant;
import java.util.UUID;

/**
 * The daily time to remind companies of the invoices they have not paid: a recurring event, published on each tick
 * of invoicing's schedule ({@code InvoiceReminders}), once per tick however many instances run.
 *
 * @param eventId    the tick's event id, derived from the schedule name and the tick
 * @param occurredAt the tick's time
 * @param metadata   none
 */
@EventName(InvoiceRemindersDue.NAME)
public record InvoiceRemindersDue(UUID eventId, Instant occurredAt, EventMetadata metadata) implements DomainEvent {

    /** The stable event name. */
    public static final String NAME = "invoicing.invoice-reminders-due";
}
