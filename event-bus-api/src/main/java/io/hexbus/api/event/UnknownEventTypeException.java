package io.hexbus.api.event;

/**
 * An event type or event name that the {@link EventTypeRegistry} does not know. The message names it and
 * says how to register it.
 */
public class UnknownEventTypeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is unknown, and how to fix it
     */
    public UnknownEventTypeException(String message) {
        super(message);
    }
}
