package io.hexbus.outbox;

/**
 * The outbox's migrations could not bring its tables up to date: the database refused one (no permission, a
 * conflicting table), or the history table records migrations that differ from the ones shipped. What failed is in
 * the message and the cause (Flyway's exception).
 */
public final class OutboxSchemaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    OutboxSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
