package io.hexbus.outbox;

/**
 * A unit of work could not be run or committed by the database: no connection, or its commit failed. Nothing the
 * work wrote was kept.
 */
public final class UnitOfWorkFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnitOfWorkFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
