import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.scheduling.ScheduleStatus;
import io.hexbus.scheduling.Scheduler;
import io.hexbus.scheduling.SchedulerSettings;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The scheduler in a composition root (docs/scheduling.md, "Recurring events"). */
class SchedulerCompositionRoot {

    void compose(EventBus transportBus) {
        // fragment
    }
}
