package io.hexbus.outbox;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay tests' side of the outbox table: rows inserted as {@link OutboxEventBus} does (the key's transaction lock
 * first, so that seq order is commit order per key), but one by one and with a NOTIFY or not, and any envelope, so
 * that a test can write what the bus never would: a poison row, a row of a newer version, a commit nobody notifies.
 */
final class OutboxTable {

    private final DataSource dataSource;
    private final EventCodec codec;

    OutboxTable(DataSource dataSource, EventCodec codec) {
        this.dataSource = dataSource;
        this.codec = codec;
    }

    void migrate() {
        OutboxSchema.migrate(dataSource);
    }

    void truncate() throws SQLException {
        execute("TRUNCATE hexbus_outbox");
    }

    /** Inserts the events in one transaction, and notifies the relay if asked. */
    void insert(List<? extends DomainEvent> events, boolean notify) throws SQLException {
        List<EncodedEvent> encoded = new ArrayList<>();
        events.forEach(event -> encoded.add(codec.encode(event, Instant.now())));
        insertEncoded(encoded, notify);
    }

    void insertEncoded(List<EncodedEvent> events, boolean notify) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))");
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO hexbus_outbox"
                         + " (event_id, event_name, ordering_key, envelope) VALUES (?, ?, ?, ?)")) {
                for (EncodedEvent event : events) {
                    lock.setString(1, event.orderingKey());
                    lock.execute();
                    insert.setObject(1, event.eventId());
                    insert.setString(2, event.name());
                    insert.setString(3, event.orderingKey());
                    insert.setString(4, event.json());
                    insert.executeUpdate();
                }
                if (notify) { // delivered at commit, as OutboxEventBus does
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SELECT pg_notify('hexbus_outbox', '')");
                    }
                }
            }
            connection.commit();
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    long count(String where) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM hexbus_outbox WHERE " + where)) {
            row.next();
            return row.getLong(1);
        }
    }

    String text(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }
}
