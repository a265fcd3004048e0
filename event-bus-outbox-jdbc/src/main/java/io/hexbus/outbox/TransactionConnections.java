package io.hexbus.outbox;

import javax.sql.DataSource;
import java.sql.Connection;

/**
 * Where {@link OutboxEventBus} writes: the connection of the calling thread's current transaction, and a hook run
 * once that transaction committed. {@link JdbcUnitOfWork} is the implementation of hexbus's own unit of work; a
 * framework that manages transactions itself (the Spring Boot starter's {@code SpringTransactionConnections})
 * supplies its own, so that events are rows of the framework's transaction.
 *
 * <p>Implementations are thread-safe; each thread sees its own transaction.
 *
 * @since 0.1.0
 */
public interface TransactionConnections {

    /**
     * The connection of the calling thread's transaction, on {@link #dataSource()}, with auto-commit off.
     *
     * @return it, never null; never commit, roll back or close it: the transaction's owner does
     * @throws NoUnitOfWorkException if the calling thread runs no transaction of this source
     */
    Connection connection();

    /**
     * Runs an action once the calling thread's transaction committed, on this thread; never if it rolls back. An
     * action's exception is logged, not thrown: the transaction is committed by then.
     *
     * @param action what to run, quickly (the committing thread waits for it); not null
     * @throws NoUnitOfWorkException if the calling thread runs no transaction of this source
     */
    void afterCommit(Runnable action);

    /**
     * @return the database the transactions run on, never null; the outbox opens connections of its own there (to
     *         notify the relays), outside any transaction
     */
    DataSource dataSource();
}
