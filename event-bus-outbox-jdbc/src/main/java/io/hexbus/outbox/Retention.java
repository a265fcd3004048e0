package io.hexbus.outbox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;

/**
 * Deletes sent rows older than the retention, in chunks of a bounded size, each its own short transaction, so that a
 * large backlog of old rows never holds locks or bloats one transaction (hexbus_outbox_sent finds them).
 */
final class Retention {

    static final int CHUNK = 5_000;
    private static final String DELETE_CHUNK = "DELETE FROM hexbus_outbox WHERE seq IN (SELECT seq FROM hexbus_outbox"
            + " WHERE sent_at < now() - make_interval(secs => ?) LIMIT ?)";

    private final DataSource dataSource;
    private final OutboxRelaySettings settings;

    Retention(DataSource dataSource, OutboxRelaySettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /**
     * @param stopping whether to stop between chunks
     * @return the rows deleted
     * @throws SQLException if the database failed; what was deleted before stays deleted
     */
    long run(BooleanSupplier stopping) throws SQLException {
        long deleted = 0;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(DELETE_CHUNK)) {
            connection.setAutoCommit(true);
            delete.setDouble(1, settings.retention().toMillis() / 1000.0);
            delete.setInt(2, CHUNK);
            int chunk;
            do {
                chunk = delete.executeUpdate();
                deleted += chunk;
            } while (chunk == CHUNK && !stopping.getAsBoolean());
        }
        return deleted;
    }
}
