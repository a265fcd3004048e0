package io.hexbus.api.transport;

/**
 * A transport's broker did not answer within the transport's command timeout. Unlike other
 * {@link TransportUnavailableException}s, the operation may have taken effect all the same: a publish can be
 * repeated safely (event ids make it idempotent); an admin operation should be checked before it is repeated.
 */
public class TransportTimeoutException extends TransportUnavailableException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what timed out and where, never a secret
     * @param cause   the broker client's timeout, or null
     */
    public TransportTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
