package io.hexbus.adapters.sample;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import io.hexbus.adapters.guice.HandlerRegistrar;
import io.hexbus.adapters.guice.ScheduleRegistrar;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceAuditLog;
import io.hexbus.sample.invoicing.application.InMemoryInvoiceRepository;
import io.hexbus.sample.invoicing.application.InvoiceAuditLog;
import io.hexbus.sample.invoicing.application.InvoiceReminders;
import io.hexbus.sample.invoicing.application.InvoiceRepository;
import io.hexbus.sample.invoicing.application.InvoicingHandlers;
import io.hexbus.sample.invoicing.domain.InvoiceRemindersDue;
import jakarta.inject.Singleton;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * The invoicing context: its invoice repository (in memory, unless a module sets another through
 * {@code OptionalBinder}: PostgreSQL's, on a database), its in-memory audit log, and its handlers
 * ({@link InvoicingHandlers}: the audit entry of every issued invoice) as a {@link HandlerRegistrar}; and its daily
 * invoice reminders ({@link InvoiceReminders}): the schedule as a {@link ScheduleRegistrar}, its handler as a
 * {@link HandlerRegistrar}.
 */
public final class InvoicingModule extends AbstractModule {

    private final ZoneId remindersZone;

    /** With reminders at 09:00 UTC. */
    public InvoicingModule() {
        this(ZoneOffset.UTC);
    }

    /**
     * @param remindersZone the zone whose 09:00 the daily invoice reminders go at
     */
    public InvoicingModule(ZoneId remindersZone) {
        this.remindersZone = Objects.requireNonNull(remindersZone, "remindersZone");
    }

    @Override
    protected void configure() {
        bind(InMemoryInvoiceRepository.class).in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), InvoiceRepository.class).setDefault()
                .to(InMemoryInvoiceRepository.class);
        bind(InMemoryInvoiceAuditLog.class).in(Singleton.class);
        bind(InvoiceAuditLog.class).to(InMemoryInvoiceAuditLog.class);
    }

    // The reminders' handler gets the bus use cases publish to: resolved at the first run, so registering connects
    // nothing (the transport, or the outbox's database, is connected when the app starts it).
    @ProvidesIntoSet
    HandlerRegistrar invoiceReminderHandlers(Provider<InvoiceReminders> reminders) {
        return processor -> List.of(processor.register(InvoiceRemindersDue.class, InvoiceReminders.SUBSCRIPTION,
                event -> reminders.get().remind(event)));
    }

    @ProvidesIntoSet
    ScheduleRegistrar invoiceReminderSchedule() {
        return recurringEvents -> List.of(InvoiceReminders.schedule(recurringEvents, remindersZone));
    }

    @ProvidesIntoSet
    HandlerRegistrar invoicingHandlers(InvoicingHandlers handlers) {
        return handlers::register;
    }
}
