package io.hexbus.outbox;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.codec.EventCodec;
import io.hexbus.outbox.testing.PostgresDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backlog as read without a relay: what /health and metrics of any instance show. */
class OutboxMonitorTest {

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();
    private static OutboxTable table;

    @BeforeAll
    static void database() throws SQLException {
        table = new OutboxTable(postgres.dataSource(), EventCodec.of(new EventTypeRegistry().register(Tick.class)));
        table.migrate();
    }

    @BeforeEach
    void empty() throws SQLException {
        table.truncate();
    }

    @Test
    void anEmptyOutboxHasNothingWaitingAndNoAge() {
        assertEquals(new OutboxStatus(0, Duration.ZERO, 0, 0, Optional.empty(), Optional.empty()),
                new OutboxMonitor(postgres.dataSource()).status());
    }

    @Test
    void countsWaitingAndDeadRowsAndAgesTheOldestWaitingByTheDatabasesClock() throws SQLException {
        table.insert(List.of(Tick.of("a", 1), Tick.of("a", 2), Tick.of("b", 1), Tick.of("c", 1), Tick.of("d", 1)),
                false);
        table.execute("UPDATE hexbus_outbox SET created_at = now() - interval '5 minutes', attempts = 2,"
                + " last_error = 'broker down' WHERE ordering_key = 'a'");
        table.execute("UPDATE hexbus_outbox SET sent_at = now() WHERE ordering_key = 'b'");
        table.execute("UPDATE hexbus_outbox SET dead_at = now(), last_error = 'poison' WHERE ordering_key = 'c'");

        OutboxStatus status = new OutboxMonitor(postgres.dataSource()).status();

        assertEquals(3, status.waiting(), "a's two and d");
        assertEquals(1, status.dead());
        assertTrue(status.oldestWaitingAge().compareTo(Duration.ofMinutes(5)) >= 0, status.toString());
        assertTrue(status.oldestWaitingAge().compareTo(Duration.ofMinutes(6)) < 0, status.toString());
        assertEquals(Optional.of("broker down"), status.lastError());
        assertEquals(0, status.forwarded());
        assertEquals(Optional.empty(), status.failingSince());
    }

    @Test
    void anUnreachableDatabaseIsAnOutboxUnavailableException() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1");

        OutboxUnavailableException thrown = assertThrows(OutboxUnavailableException.class,
                () -> new OutboxMonitor(nowhere).status());

        assertTrue(thrown.getMessage().startsWith("the outbox's status could not be read"), thrown.getMessage());
    }
}
