package io.hexbus.outbox;

/**
 * The outbox's database could not be queried: unreachable, or the table is missing. The message says which, never a
 * password; the cause is the driver's error.
 */
public final class OutboxUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    OutboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
