package io.hexbus.api.publishing;

/**
 * An event whose encoded form exceeds the wire's size limit (1 MiB unless configured). Refused at publish,
 * before anything is written, on every transport.
 */
public class EventTooLargeException extends UnpublishableEventException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the event, its size and the limit
     */
    public EventTooLargeException(String message) {
        super(message, null);
    }
}
