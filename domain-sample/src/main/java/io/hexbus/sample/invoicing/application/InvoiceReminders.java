package io.hexbus.sample.invoicing.application;

import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.EventHandler;
import io.hexbus.api.handling.Registration;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.scheduling.MissedTicks;
import io.hexbus.api.scheduling.RecurringEvents;
import io.hexbus.api.scheduling.Schedule;
import io.hexbus.api.scheduling.ScheduleRegistration;
import io.hexbus.api.scheduling.TickIds;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.invoicing.domain.InvoiceReminderEmailRequested;
import io.hexbus.sample.invoicing.domain.InvoiceRemindersDue;
import jakarta.inject.Inject;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Daily reminders of unpaid invoices: a recurring {@link InvoiceRemindersDue} at 09:00 in a zone, and the handler
 * that turns it into one {@link InvoiceReminderEmailRequested} per issued invoice (the notifications module mails
 * them). A composition root calls {@link #schedule} and {@link #register} once at start. The schedule needs none of
 * the handler's dependencies, so registering it connects nothing.
 *
 * <p>Missed ticks are skipped: a reminder belongs at 09:00, not whenever a deployment ends; tomorrow's run reminds
 * of whatever is still unpaid. Each reminder's id is derived from the invoice and the tick, so a retried run (or a
 * second delivery of the tick's event) publishes duplicates, never a second mail.
 */
public final class InvoiceReminders {

    /** The schedule's stable name. */
    public static final String SCHEDULE = "invoicing.invoice-reminders";
    /** The handler's stable subscription name. */
    public static final String SUBSCRIPTION = "invoicing.request-invoice-reminders";
    /** When reminders go, as a cron expression (six fields, seconds first): daily at 09:00. */
    public static final String DAILY_AT_NINE = "0 0 9 * * *";

    private final InvoiceRepository invoices;
    private final EventBus eventBus;
    private final UnitOfWork unitOfWork;

    /**
     * @param invoices   where invoices are kept
     * @param eventBus   where the reminders go
     * @param unitOfWork reads the invoices and publishes the reminders as one unit (one transaction on the outbox)
     */
    @Inject
    public InvoiceReminders(InvoiceRepository invoices, EventBus eventBus, UnitOfWork unitOfWork) {
        this.invoices = Objects.requireNonNull(invoices, "invoices");
        this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
    }

    /**
     * Registers the daily {@link InvoiceRemindersDue}.
     *
     * @param recurringEvents the port to register with
     * @param zone            the zone whose 09:00 it is
     * @return the handle that removes it
     * @throws io.hexbus.api.scheduling.DuplicateScheduleException if it was registered before
     */
    public static ScheduleRegistration schedule(RecurringEvents recurringEvents, ZoneId zone) {
        return recurringEvents.register(SCHEDULE, Schedule.cron(DAILY_AT_NINE, zone), MissedTicks.SKIP,
                tick -> new InvoiceRemindersDue(tick.eventId(), tick.at(), EventMetadata.EMPTY));
    }

    /**
     * Registers the handler of {@link InvoiceRemindersDue}.
     *
     * @param processor the processor to register with
     * @return the registrations, in registration order
     * @throws io.hexbus.api.handling.DuplicateSubscriptionException if it was registered before
     */
    public List<Registration> register(DomainEventsProcessor processor) {
        return List.of(processor.register(InvoiceRemindersDue.class, SUBSCRIPTION, new RequestReminders()));
    }

    /**
     * Publishes one reminder per issued invoice, all or none.
     *
     * @param due the tick's event
     * @return the reminders published (duplicates included)
     */
    public List<InvoiceReminderEmailRequested> remind(InvoiceRemindersDue due) {
        return unitOfWork.call(() -> {
            List<InvoiceReminderEmailRequested> reminders = invoices.findIssued().stream()
                    .map(invoice -> reminderOf(invoice, due)).flatMap(Optional::stream).toList();
            eventBus.publishAll(reminders);
            return reminders;
        });
    }

    private static Optional<InvoiceReminderEmailRequested> reminderOf(Invoice invoice, InvoiceRemindersDue due) {
        return invoice.remind(TickIds.of(SCHEDULE + "/" + invoice.id(), due.occurredAt()), due.occurredAt());
    }

    /** The subscription: a named class, so its name is stable. */
    private final class RequestReminders implements EventHandler<InvoiceRemindersDue> {

        @Override
        public void handle(InvoiceRemindersDue event) {
            remind(event);
        }
    }
}
