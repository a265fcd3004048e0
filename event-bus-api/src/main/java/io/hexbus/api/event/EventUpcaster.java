package io.hexbus.api.event;

import java.util.Map;

/**
 * Turns the payload of one version of an event into the next version's, before it is read into the event
 * type, so that entries written by older code stay readable after a change that is not additive (a renamed
 * or retyped component, a value split in two). Registered per event name and source version with
 * {@link EventTypeRegistry#upcaster(String, int, EventUpcaster)}; a payload of version 1 read by code at
 * version 3 goes through the upcasters from 1 and from 2, in that order.
 *
 * <p>The payload is the JSON object of the event's components as mutable Java values: {@code Map<String,
 * Object>} for objects, {@code List<Object>} for arrays, {@code String}, {@code Boolean}, {@code null},
 * and for numbers {@code Integer}, {@code Long}, {@code BigInteger} or {@code BigDecimal}. An upcaster may
 * change it in place and return it, or return a new map of such values. It never sees the envelope (id,
 * times, metadata), which no version changes.
 *
 * <p>An upcaster must be a pure function of its input: it runs on every worker, possibly more than once for
 * one entry. If it throws, the entry is malformed and dead-lettered with the error.
 */
@FunctionalInterface
public interface EventUpcaster {

    /**
     * @param payload the payload at the source version; owned by the caller for the duration of the call
     * @return the payload at the next version; never null
     */
    Map<String, Object> upcast(Map<String, Object> payload);
}
