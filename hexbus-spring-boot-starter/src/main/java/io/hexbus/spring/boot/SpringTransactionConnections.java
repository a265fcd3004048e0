package io.hexbus.spring.boot;

import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.outbox.NoUnitOfWorkException;
import io.hexbus.outbox.TransactionConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The outbox's {@link TransactionConnections} on Spring's transactions: the connection Spring's transaction holds on
 * the {@link DataSource} ({@link DataSourceUtils#getConnection}), and an after-commit action as a
 * {@link TransactionSynchronization}. So an {@link io.hexbus.outbox.OutboxEventBus} over it writes events in the
 * {@code @Transactional} method's (or {@code TransactionTemplate}'s) transaction, beside the repositories' writes.
 *
 * <p><b>Outside a transaction of this data source</b> {@link #connection()} and {@link #afterCommit} throw
 * {@link NoUnitOfWorkException}: with no Spring transaction on the thread, and also with one whose transaction manager
 * does not hold this data source's connection (a connection in auto-commit would write the event at once, whatever
 * the transaction then does).
 *
 * <p>Thread-safe; each thread sees its own transaction. Never blocks but to take the transaction's connection.
 *
 * @since 0.1.0
 */
public final class SpringTransactionConnections implements TransactionConnections {

    private static final Logger log = LoggerFactory.getLogger(SpringTransactionConnections.class);

    private static final String HOW = " (the outbox writes events in the transaction that writes the aggregate; run the"
            + " use case in a @Transactional method or a TransactionTemplate: docs/spring-boot.md, \"The outbox\")";

    private final DataSource dataSource;

    /**
     * @param dataSource the database of the outbox and of the transactions, as Spring's transaction manager knows it
     */
    public SpringTransactionConnections(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * {@inheritDoc}
     *
     * @throws EventPublishingException if the transaction's connection could not be had or asked
     */
    @Override
    public Connection connection() {
        requireTransaction();
        Connection connection;
        try {
            connection = DataSourceUtils.getConnection(dataSource);
        } catch (CannotGetJdbcConnectionException e) {
            throw new EventPublishingException("no connection of the Spring transaction for the outbox: "
                    + e.getMessage(), e);
        }
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
        } catch (SQLException e) {
            DataSourceUtils.releaseConnection(connection, dataSource);
            throw new EventPublishingException("the Spring transaction's connection failed: " + e.getMessage(), e);
        }
        if (autoCommit) {
            DataSourceUtils.releaseConnection(connection, dataSource);
            throw new NoUnitOfWorkException("the Spring transaction on this thread does not hold a connection of the"
                    + " outbox's DataSource (its transaction manager manages another resource), so the event would be"
                    + " written at once, outside it" + HOW);
        }
        return connection;
    }

    @Override
    public void afterCommit(Runnable action) {
        Objects.requireNonNull(action, "action");
        requireTransaction();
        TransactionSynchronizationManager.registerSynchronization(new AfterCommit(action));
    }

    @Override
    public DataSource dataSource() {
        return dataSource;
    }

    private static void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new NoUnitOfWorkException("no Spring transaction is active on this thread" + HOW);
        }
    }

    /** An action run once the transaction committed; its failure is logged, since the commit is done by then. */
    private record AfterCommit(Runnable action) implements TransactionSynchronization {

        @Override
        public void afterCommit() {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.warn("An action after a Spring transaction's commit failed; the transaction is committed", e);
            }
        }
    }
}
