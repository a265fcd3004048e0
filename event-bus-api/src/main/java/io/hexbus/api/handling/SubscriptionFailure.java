package io.hexbus.api.handling;

import java.util.Objects;
import java.util.UUID;

/**
 * One subscription that failed to handle one event. Immutable.
 *
 * @param subscription the subscription name
 * @param eventName    the event name
 * @param eventId      the event id
 * @param error        what the handler threw
 */
public record SubscriptionFailure(String subscription, String eventName, UUID eventId, Throwable error) {

    /**
     * Checks that no component is null.
     *
     * @param subscription the subscription name
     * @param eventName the event name
     * @param eventId the event id
     * @param error what the handler threw
     */
    public SubscriptionFailure {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(error, "error");
    }

    /**
     * @return a one-line description naming the subscription, the event and the error, without payload
     */
    public String describe() {
        return "subscription '" + subscription + "' failed on " + eventName + " " + eventId + ": "
                + error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }
}
