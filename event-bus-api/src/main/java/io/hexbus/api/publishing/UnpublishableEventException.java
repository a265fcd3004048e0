package io.hexbus.api.publishing;

/**
 * An event that no transport would carry, refused at publish before anything of the call was delivered or
 * written: every transport refuses the same events with the same subclass, so a test on the in-memory bus
 * meets the refusal a queue would give. Retrying cannot help; the event or its registration must change.
 *
 * <p>Its subclasses: {@link EventTooLargeException}, {@link EventNotEncodableException} and
 * {@link InvalidOrderingKeyException}; and {@link DelayedDeliveryUnsupportedException}, the one refusal that
 * depends on the transport (a delayed publish where the transport cannot delay), so the transport must change
 * rather than the event. The other refusal, an event type with no registered name, is
 * {@link io.hexbus.api.event.UnknownEventTypeException}, which the registry also throws outside a publish; all
 * are {@link IllegalArgumentException}s.
 */
public class UnpublishableEventException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message which event, and what is wrong with it; never a payload value
     * @param cause   the underlying failure, or null
     */
    public UnpublishableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
