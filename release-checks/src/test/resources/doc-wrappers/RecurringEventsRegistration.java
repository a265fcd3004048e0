import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.scheduling.MissedTicks;
import io.hexbus.api.scheduling.RecurringEvents;
import io.hexbus.api.scheduling.Schedule;
import io.hexbus.api.scheduling.ScheduleRegistration;
import io.hexbus.sample.invoicing.domain.InvoiceRemindersDue;

import java.time.Duration;
import java.time.ZoneId;

/** A module registering its recurring events at init (docs/scheduling.md, "Recurring events"). */
class RecurringEventsRegistration {

    void init(RecurringEvents recurringEvents) {
        // fragment
    }
}
