package io.hexbus.api.handling;

/**
 * A handler failure that retrying cannot fix; see {@link NonRetryable}.
 */
public class NonRetryableException extends RuntimeException implements NonRetryable {

    private static final long serialVersionUID = 1L;

    /**
     * @param message why the event can never be handled
     */
    public NonRetryableException(String message) {
        super(message);
    }

    /**
     * @param message why the event can never be handled
     * @param cause   the underlying failure
     */
    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
