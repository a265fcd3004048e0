package io.hexbus.api.publishing;

/**
 * An event that cannot travel as JSON unchanged: the codec cannot write one of its components, or what it
 * writes does not read back as an equal event (a type with no JSON form, a value that loses its zone or its
 * precision, a component the record refuses when read back). Refused at publish on every transport that
 * checks it: the in-memory bus and the test helpers always, a queue at least for what cannot be written.
 */
public class EventNotEncodableException extends UnpublishableEventException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the event type and the component or reason; never a payload value
     * @param cause   the codec's error, or null
     */
    public EventNotEncodableException(String message, Throwable cause) {
        super(message, cause);
    }
}
