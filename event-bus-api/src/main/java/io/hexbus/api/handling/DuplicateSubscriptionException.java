package io.hexbus.api.handling;

/**
 * A second registration under a subscription name that is already taken. Subscription names key the
 * per-subscription delivery state of queued transports, so two handlers may never share one.
 */
public class DuplicateSubscriptionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the name, and what already holds it
     */
    public DuplicateSubscriptionException(String message) {
        super(message);
    }
}
