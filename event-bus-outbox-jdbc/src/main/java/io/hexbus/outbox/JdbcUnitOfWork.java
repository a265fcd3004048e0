package io.hexbus.outbox;

import io.hexbus.api.transaction.UnitOfWork;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@link UnitOfWork} on JDBC: the work runs in one transaction on one connection of the {@link DataSource}, which
 * the adapters of that work (a repository, the outbox's event bus) take from {@link #connection()}. The work's
 * return commits; its exception rolls back and reaches the caller unchanged; a unit started inside another joins it.
 *
 * <p>Thread-safety: thread-safe; each thread has its own current unit. The connection is the thread's while the
 * work runs and goes back to the data source after: never keep it, or use it from another thread.
 */
public final class JdbcUnitOfWork implements UnitOfWork {

    private final DataSource dataSource;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    /**
     * @param dataSource where connections come from (a pool, usually); its connections must support transactions
     */
    public JdbcUnitOfWork(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnitOfWorkFailedException if no connection could be had, or the commit failed (nothing was kept)
     */
    @Override
    public <T> T call(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        if (current.get() != null) {
            return work.get(); // joins the outer unit: its transaction, committed by it
        }
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new UnitOfWorkFailedException("no database connection for a unit of work: " + e.getMessage(), e);
        }
        try (connection) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            current.set(connection);
            T result;
            try {
                result = work.get();
            } catch (RuntimeException | Error e) {
                rollBack(connection, e);
                throw e;
            } finally {
                current.remove();
            }
            try {
                connection.commit();
            } catch (SQLException e) {
                rollBack(connection, e);
                throw new UnitOfWorkFailedException("the unit of work's commit failed; nothing of it was kept: "
                        + e.getMessage(), e);
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            return result;
        } catch (SQLException e) { // setting auto-commit, or closing: the work's outcome is already decided
            throw new UnitOfWorkFailedException("the unit of work's connection failed: " + e.getMessage(), e);
        }
    }

    /**
     * The connection of the calling thread's unit of work.
     *
     * @return it; never commit, roll back or close it: the unit does
     * @throws NoUnitOfWorkException if the calling thread is not inside {@link #call} or {@link #run}
     */
    public Connection connection() {
        Connection connection = current.get();
        if (connection == null) {
            throw new NoUnitOfWorkException();
        }
        return connection;
    }

    /** @return whether the calling thread runs inside a unit of work of this instance */
    public boolean inUnitOfWork() {
        return current.get() != null;
    }

    private static void rollBack(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
