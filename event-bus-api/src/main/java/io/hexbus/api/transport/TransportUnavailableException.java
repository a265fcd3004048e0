package io.hexbus.api.transport;

/**
 * A transport's broker cannot be reached or used now: unreachable, refused the login or the command, too old,
 * or (as the subclass {@link TransportTimeoutException}) not answering in time. The message names the broker
 * (never a password) and the cause; the broker's own exception is the cause. Retrying later may succeed.
 *
 * <p>An {@link IllegalStateException}, as {@link io.hexbus.api.admin.QueueAdmin} has always documented for a
 * store that cannot be reached; catch this type, not that one, to tell a broker's outage from a bug.
 */
public class TransportUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and where, never a secret
     * @param cause   the broker client's error, or null
     */
    public TransportUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
