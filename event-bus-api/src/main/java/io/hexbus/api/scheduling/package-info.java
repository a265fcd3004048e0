/**
 * Recurring events: the {@link io.hexbus.api.scheduling.RecurringEvents} port a module registers a
 * {@link io.hexbus.api.scheduling.Schedule} with at init, the {@link io.hexbus.api.scheduling.Tick} each firing
 * is, and the {@link io.hexbus.api.scheduling.ScheduleStatus} the schedules are listed with.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.api.scheduling;
