package io.hexbus.sample.invoicing.application;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.scheduling.MissedTicks;
import io.hexbus.api.scheduling.RecurringEvents;
import io.hexbus.api.scheduling.Schedule;
import io.hexbus.api.scheduling.Tick;
import io.hexbus.api.scheduling.TickIds;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.invoicing.domain.InvoiceReminderEmailRequested;
import io.hexbus.sample.invoicing.domain.InvoiceRemindersDue;
import io.hexbus.sample.shared.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/** The daily reminders against mocks of our own ports: no scheduler, no transport. */
@ExtendWith(MockitoExtension.class)
class InvoiceRemindersTest {

    private static final Instant NINE = Instant.parse("2026-12-04T09:00:00Z");
    private static final String BILLING = "billing@company9.example";

    @Mock
    private EventBus eventBus;
    @Mock
    private RecurringEvents recurringEvents;

    private final InvoiceRepository invoices = new InMemoryInvoiceRepository();

    private InvoiceReminders reminders() {
        return new InvoiceReminders(invoices, eventBus, UnitOfWork.direct());
    }

    @Test
    @SuppressWarnings("unchecked")
    void registersADailyRunAtNineInTheZoneWhoseEventsCarryTheTicksId() {
        InvoiceReminders.schedule(recurringEvents, ZoneId.of("Europe/Paris"));

        ArgumentCaptor<Function<Tick, ? extends DomainEvent>> factory = ArgumentCaptor.forClass(Function.class);
        verify(recurringEvents).register(eq(InvoiceReminders.SCHEDULE),
                eq(Schedule.cron("0 0 9 * * *", ZoneId.of("Europe/Paris"))), eq(MissedTicks.SKIP), factory.capture());
        Tick tick = Tick.of(InvoiceReminders.SCHEDULE, NINE);
        assertEquals(new InvoiceRemindersDue(tick.eventId(), NINE, EventMetadata.EMPTY), factory.getValue().apply(tick));
    }

    @Test
    @SuppressWarnings("unchecked")
    void remindsOfEachIssuedInvoiceOnceWithIdsDerivedFromInvoiceAndTick() {
        Invoice issued = Invoice.draft("inv-1", "2026-0001", "company-9", BILLING, "store-3", Money.of("120.50", "EUR"));
        issued.issue(TickIds.of("any", NINE), NINE.minusSeconds(86_400), "user-42");
        invoices.save(issued);
        invoices.save(Invoice.draft("inv-2", "2026-0002", "company-9", BILLING, "store-3", Money.of("10.00", "EUR")));
        InvoiceRemindersDue due = new InvoiceRemindersDue(TickIds.of(InvoiceReminders.SCHEDULE, NINE), NINE,
                EventMetadata.EMPTY);

        List<InvoiceReminderEmailRequested> first = reminders().remind(due);
        List<InvoiceReminderEmailRequested> again = reminders().remind(due);

        assertEquals(List.of(new InvoiceReminderEmailRequested(TickIds.of(InvoiceReminders.SCHEDULE + "/inv-1", NINE),
                NINE, EventMetadata.EMPTY.withTenantId("company-9"), "inv-1", "2026-0001", "company-9", BILLING,
                Money.of("120.50", "EUR"))), first);
        assertEquals(first, again, "a retried run publishes the same ids: duplicates, never a second mail");
        ArgumentCaptor<List<? extends DomainEvent>> published = ArgumentCaptor.forClass(List.class);
        verify(eventBus, times(2)).publishAll(published.capture());
        assertEquals(first, published.getAllValues().get(0));
        verify(eventBus, times(2)).publishAll(any());
    }
}
