package io.hexbus.outbox;

import io.hexbus.api.transaction.UnitOfWork;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
public final class JdbcUnitOfWork implements UnitOfWork, TransactionConnections {

    private static final Logger log = LoggerFactory.getLogger(JdbcUnitOfWork.class);

    private final DataSource dataSource;
    private final ThreadLocal<Unit> current = new ThreadLocal<>();

    /** The calling thread's unit: its connection, and what runs once it committed. */
    private record Unit(Connection connection, List<Runnable> afterCommit) {
    }

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
            Unit unit = new Unit(connection, new ArrayList<>());
            current.set(unit);
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
            unit.afterCommit().forEach(JdbcUnitOfWork::runCommitted);
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
    @Override
    public Connection connection() {
        return unit().connection();
    }

    /**
     * Runs an action once the calling thread's unit of work committed, on this thread, before {@link #call} returns;
     * never if it rolls back. An action's exception is logged, not thrown: the unit is committed by then.
     *
     * @param action what to run, quickly (the caller of the unit waits for it)
     * @throws NoUnitOfWorkException if the calling thread is not inside a unit of work of this instance
     */
    @Override
    public void afterCommit(Runnable action) {
        unit().afterCommit().add(Objects.requireNonNull(action, "action"));
    }

    private Unit unit() {
        Unit unit = current.get();
        if (unit == null) {
            throw new NoUnitOfWorkException();
        }
        return unit;
    }

    private static void runCommitted(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("An action after a unit of work's commit failed; the unit is committed", e);
        }
    }

    /** @return where its connections come from */
    @Override
    public DataSource dataSource() {
        return dataSource;
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
