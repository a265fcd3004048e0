package io.hexbus.api.publishing;

/**
 * The transport could not accept the events: its store is unreachable, timed out, or refused the write.
 * Nothing of the call was published, or, where the transport cannot tell (a timeout), publishing again is
 * safe because the event id makes it idempotent. When the transport's broker is at fault, the cause is a
 * {@link io.hexbus.api.transport.TransportUnavailableException} (a
 * {@link io.hexbus.api.transport.TransportTimeoutException} when it did not answer in time), so that a caller can
 * tell an outage from a timeout without naming the transport.
 */
public class EventPublishingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the transport and the cause; never a secret
     * @param cause   the underlying failure, or null
     */
    public EventPublishingException(String message, Throwable cause) {
        super(message, cause);
    }
}
