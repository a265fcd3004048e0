/**
 * What a domain event is: its identity ({@link io.hexbus.api.event.DomainEvent}), its stable wire name
 * ({@link io.hexbus.api.event.EventName}), its metadata, and the explicit registry that maps names to types.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.api.event;
