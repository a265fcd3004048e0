package io.hexbus.outbox;

/**
 * Work that needs the current unit of work's transaction (a repository's write, a publish to the outbox) ran outside
 * one: a bug of the composition, which must wrap the use case in {@link io.hexbus.api.transaction.UnitOfWork#run}.
 */
public final class NoUnitOfWorkException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    NoUnitOfWorkException() {
        super("no unit of work is running on this thread: run the use case inside UnitOfWork.run or call (the outbox"
                + " writes events in the transaction of the unit of work; docs/outbox.md)");
    }
}
