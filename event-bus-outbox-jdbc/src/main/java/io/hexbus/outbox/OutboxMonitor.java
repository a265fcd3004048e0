package io.hexbus.outbox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads an outbox's backlog from its table, with or without a relay in this process: for {@code /health} and metrics
 * of an instance that runs none. Each query is bounded by an index: counts over the partial indexes of waiting and dead
 * rows, the oldest waiting row by the first entry of the waiting index.
 *
 * <p>Thread-safe; {@link #status()} blocks on the database for one short read-only transaction.
 */
public final class OutboxMonitor {

    // One statement, so the numbers are of one snapshot; the age by the database's clock, as created_at is.
    private static final String STATUS = """
            SELECT (SELECT count(*) FROM hexbus_outbox WHERE sent_at IS NULL AND dead_at IS NULL),
                   (SELECT count(*) FROM hexbus_outbox WHERE dead_at IS NOT NULL),
                   oldest.age_ms, oldest.last_error
            FROM (SELECT 1) one
            LEFT JOIN (SELECT (extract(epoch FROM (clock_timestamp() - created_at)) * 1000)::bigint AS age_ms,
                              last_error
                       FROM hexbus_outbox WHERE sent_at IS NULL AND dead_at IS NULL
                       ORDER BY seq LIMIT 1) oldest ON true""";

    private final DataSource dataSource;

    /**
     * @param dataSource the outbox's database
     */
    public OutboxMonitor(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * @return the backlog: waiting, the oldest's age and its last error, dead; no relay's figures (0 forwarded, never
     *         failing)
     * @throws OutboxUnavailableException if the database cannot be read
     */
    public OutboxStatus status() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(STATUS)) {
            row.next();
            long waiting = row.getLong(1);
            long dead = row.getLong(2);
            long ageMillis = Math.max(0, row.getLong(3)); // a created_at ahead of now(): a clock step, not negative
            return new OutboxStatus(waiting, Duration.ofMillis(ageMillis), dead, 0,
                    Optional.ofNullable(row.getString(4)), Optional.empty());
        } catch (SQLException e) {
            throw new OutboxUnavailableException("the outbox's status could not be read: " + e.getMessage(), e);
        }
    }
}
