package io.hexbus.sample.archfixture;

import javax.sql.DataSource;

/**
 * Breaks {@code sampleNeverTouchesJdbcOrTheOutbox}: a use case that takes a connection from the pool itself, so its
 * writes are not in the unit of work's transaction.
 */
public class UseCaseThatOpensAConnection {
    DataSource dataSource;
}
