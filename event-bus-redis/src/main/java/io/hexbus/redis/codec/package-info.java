/**
 * The wire format of the Redis transport: a versioned JSON envelope per event, written and read with
 * Jackson through the explicit {@link io.hexbus.api.event.EventTypeRegistry}, never with default typing.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.redis.codec;
