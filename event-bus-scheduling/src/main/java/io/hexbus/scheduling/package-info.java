/**
 * The scheduler behind {@link io.hexbus.api.scheduling.RecurringEvents}: {@link io.hexbus.scheduling.Scheduler}
 * publishes each tick of a registered schedule through an {@link io.hexbus.api.publishing.EventBus}; the pure
 * decisions (which tick is due, which to fire at start, when to retry) are in {@link io.hexbus.scheduling.TickPlan}.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.scheduling;
