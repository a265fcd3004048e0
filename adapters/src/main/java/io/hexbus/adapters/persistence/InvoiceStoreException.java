package io.hexbus.adapters.persistence;

/**
 * The invoice store could not be read or written (the database refused the statement or could not be reached).
 * Inside a unit of work it rolls the unit back: nothing of it is kept, its events neither.
 */
public final class InvoiceStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvoiceStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
