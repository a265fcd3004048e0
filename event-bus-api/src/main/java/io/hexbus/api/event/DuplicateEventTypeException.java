package io.hexbus.api.event;

/**
 * A second, different mapping for an event name or an event type in the {@link EventTypeRegistry}. The
 * message names both mappings.
 */
public class DuplicateEventTypeException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the existing mapping and the refused one
     */
    public DuplicateEventTypeException(String message) {
        super(message);
    }
}
