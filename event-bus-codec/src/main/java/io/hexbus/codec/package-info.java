/**
 * The wire contract of every hexbus transport: a versioned JSON envelope per event, written and read with
 * Jackson through the explicit {@link io.hexbus.api.event.EventTypeRegistry}, never with default typing or
 * class names from the wire, with upcasters for payloads of older versions.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.codec;
