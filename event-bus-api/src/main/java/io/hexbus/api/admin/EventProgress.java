package io.hexbus.api.admin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Where one event stands in a consumer group, per subscription, read at one moment. Immutable.
 *
 * @param eventId       the event id
 * @param eventName     the event name, or {@code "?"} when the transport cannot tell
 * @param subscriptions each subscription's state, in the order the transport knows them; only the subscriptions the
 *                      transport has a record of (one that has not run yet may be missing while the event waits)
 */
public record EventProgress(UUID eventId, String eventName, List<SubscriptionProgress> subscriptions) {

    /**
     * Copies the list.
     *
     * @param eventId       the event id
     * @param eventName     the event name
     * @param subscriptions each subscription's state
     * @throws NullPointerException if any is null
     */
    public EventProgress {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventName, "eventName");
        subscriptions = List.copyOf(subscriptions);
    }

    /** The state of an event for one subscription. */
    public enum State {
        /** Published and not yet handled by this subscription: waiting for a worker, or running now. */
        WAITING,
        /** Failed and waiting for its backoff before the next attempt. */
        RETRY_SCHEDULED,
        /** Handled: this subscription is done with the event. */
        DONE,
        /** Given up on: the event is in the dead-letter queue for this subscription. */
        DEAD
    }

    /**
     * One subscription's state for the event. Immutable.
     *
     * @param subscription  the subscription name
     * @param state         where it stands
     * @param attempts      its failed attempts so far
     * @param nextAttemptAt when its next attempt is due, for {@link State#RETRY_SCHEDULED}; else empty (also when the
     *                      transport cannot tell); a delayed event not yet due is {@link State#WAITING} with its due
     *                      time (Redis)
     * @param lastError     its last error, when it failed and the transport keeps it; else empty
     */
    public record SubscriptionProgress(String subscription, State state, int attempts, Optional<Instant> nextAttemptAt,
                                       Optional<String> lastError) {

        /**
         * Checks the arguments.
         *
         * @param subscription  the subscription name
         * @param state         where it stands
         * @param attempts      its failed attempts so far, 0 or more
         * @param nextAttemptAt when its next attempt is due
         * @param lastError     its last error
         * @throws NullPointerException     if any is null
         * @throws IllegalArgumentException if attempts is negative
         */
        public SubscriptionProgress {
            Objects.requireNonNull(subscription, "subscription");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
            Objects.requireNonNull(lastError, "lastError");
            if (attempts < 0) {
                throw new IllegalArgumentException("attempts must be 0 or more, got " + attempts);
            }
        }
    }
}
