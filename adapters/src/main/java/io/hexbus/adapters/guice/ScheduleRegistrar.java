package io.hexbus.adapters.guice;

import io.hexbus.api.scheduling.RecurringEvents;
import io.hexbus.api.scheduling.ScheduleRegistration;

import java.util.List;

/**
 * What a feature module contributes to the recurring events: one registrar per feature module, bound with a Guice
 * {@code Multibinder<ScheduleRegistrar>} (or {@code @ProvidesIntoSet}), called once at start by
 * {@link RecurringEventsRegistry}, before the scheduler starts.
 */
@FunctionalInterface
public interface ScheduleRegistrar {

    /**
     * Registers this feature's schedules, each under its stable name.
     *
     * @param recurringEvents the port to register with
     * @return the registrations made, in registration order
     * @throws io.hexbus.api.scheduling.DuplicateScheduleException if a schedule name is already taken
     */
    List<ScheduleRegistration> register(RecurringEvents recurringEvents);
}
