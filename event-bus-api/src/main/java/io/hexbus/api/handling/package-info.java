/**
 * Who handles an event: handlers, their subscriptions, the {@link io.hexbus.api.handling.DomainEventsProcessor}
 * that routes events to them by name, and how a failure is retried.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.api.handling;
