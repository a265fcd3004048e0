package io.hexbus.spring.boot;

import io.hexbus.api.scheduling.RecurringEvents;

/**
 * A bean that registers recurring events: called once, in bean order, when the context starts, before the
 * scheduler's first tick ({@link HexbusScheduler}). A bean may instead inject {@link RecurringEvents} and register
 * itself; this callback keeps the schedules of a feature beside its other beans without a cycle.
 */
@FunctionalInterface
public interface HexbusSchedules {

    /**
     * Registers this feature's schedules, each under its stable name.
     *
     * @param recurringEvents the port to register with
     * @throws io.hexbus.api.scheduling.DuplicateScheduleException if a name is taken, which fails the context's start
     * @throws IllegalArgumentException                             for a bad schedule (a cron that never fires), which
     *                                                              fails the context's start
     */
    void register(RecurringEvents recurringEvents);
}
