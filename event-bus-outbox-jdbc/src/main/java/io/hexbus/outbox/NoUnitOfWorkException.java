package io.hexbus.outbox;

/**
 * Work that needs the current unit of work's transaction (a repository's write, a publish to the outbox) ran outside
 * one: a bug of the composition, which must wrap the use case in {@link io.hexbus.api.transaction.UnitOfWork#run} (or,
 * with another {@link TransactionConnections}, in that framework's transaction).
 */
public final class NoUnitOfWorkException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    NoUnitOfWorkException() {
        this("no unit of work is running on this thread: run the use case inside UnitOfWork.run or call (the outbox"
                + " writes events in the transaction of the unit of work; docs/outbox.md)");
    }

    /**
     * For a {@link TransactionConnections} of another framework, whose message says how that framework starts a
     * transaction.
     *
     * @param message what ran outside which transaction, and how to run it inside one
     * @since 0.1.0
     */
    public NoUnitOfWorkException(String message) {
        super(message);
    }
}
