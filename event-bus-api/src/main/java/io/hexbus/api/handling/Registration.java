package io.hexbus.api.handling;

/**
 * The handle of one registration with a {@link DomainEventsProcessor}. Thread-safe.
 */
public interface Registration {

    /**
     * @return the subscription this registration added
     */
    Subscription subscription();

    /**
     * Removes the subscription: events dispatched after this call returns do not reach it. An event whose
     * dispatch had already started may still reach it once. Idempotent.
     *
     * @return true if this call removed it, false if it was already removed
     */
    boolean remove();
}
