package io.hexbus.api.publishing;

/**
 * An event whose {@link io.hexbus.api.event.DomainEvent#orderingKey()} is null, blank or longer than
 * {@link io.hexbus.api.event.DomainEvent#MAX_ORDERING_KEY_LENGTH} characters. Refused at publish, before anything
 * is written, on every transport, whether it orders by key or not.
 */
public class InvalidOrderingKeyException extends UnpublishableEventException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the event type and what is wrong with its key; never the key itself when it is too long
     */
    public InvalidOrderingKeyException(String message) {
        super(message, null);
    }
}
