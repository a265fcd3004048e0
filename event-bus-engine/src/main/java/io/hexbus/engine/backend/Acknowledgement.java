package io.hexbus.engine.backend;

import java.util.Objects;

/**
 * A message every subscription is finished with, to be acknowledged (removed from the queue for this
 * application) and counted. Immutable.
 *
 * @param delivery the message
 * @param kind     how it is counted in the statistics
 */
public record Acknowledgement(Delivery delivery, Kind kind) {

    /** How an acknowledged message is counted. */
    public enum Kind {
        /** Its subscriptions finished: each succeeded, or gave up earlier. Counted as completed. */
        COMPLETED,
        /** No subscription of this application handles its name (another application may). Counted as unhandled. */
        UNHANDLED
    }

    /**
     * Checks the arguments.
     *
     * @param delivery the message
     * @param kind     how it is counted
     * @throws NullPointerException if an argument is null
     */
    public Acknowledgement {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(kind, "kind");
    }
}
