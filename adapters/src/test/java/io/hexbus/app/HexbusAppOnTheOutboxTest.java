package io.hexbus.app;

import io.hexbus.outbox.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The app with {@code DATABASE_URL}, run as {@code main} runs it, in this JVM: the tour's events go through the
 * outbox, and the app exits once they were forwarded. A database of each test's own, so that counts are exact.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HexbusAppOnTheOutboxTest {

    @Test
    void theTourInMemoryCommitsItsEventsToTheOutboxAndExitsZeroOnceTheRelayForwardedThem() throws SQLException {
        try (TestPostgres postgres = TestPostgres.create()) {
            assertEquals(0, new HexbusApp(Map.of("DATABASE_URL", postgres.jdbcUrl())).run());

            assertEquals("10", queryOne(postgres, "SELECT count(*) FROM hexbus_outbox"),
                    "the invoice and the nine other use cases, each one event");
            assertEquals("0", queryOne(postgres, "SELECT count(*) FROM hexbus_outbox WHERE sent_at IS NULL"));
            assertEquals("ISSUED", queryOne(postgres, "SELECT status FROM sample_invoice WHERE id = 'inv-1'"));
        }
    }

    @Test
    void theNoneTransportInApiModeRunsTheTourThroughTheOutboxAndExitsZero() throws SQLException {
        try (TestPostgres postgres = TestPostgres.create()) {
            assertEquals(0, new HexbusApp(Map.of("DATABASE_URL", postgres.jdbcUrl(), "USE_QUEUE_EVENT_BUS", "true",
                    "HEXBUS_TRANSPORT", "none", "HEXBUS_MODE", "api")).run());

            assertEquals("0", queryOne(postgres, "SELECT count(*) FROM hexbus_outbox WHERE sent_at IS NULL"));
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedStopsTheAppWithExitCode2() {
        assertEquals(2, new HexbusApp(Map.of("DATABASE_URL", "postgres://app:p@ss:w/rd#?@127.0.0.1:1/app")).run());
    }

    @Test
    void aDatabaseUrlOfAnotherKindIsAConfigurationError() {
        assertEquals(2, new HexbusApp(Map.of("DATABASE_URL", "mysql://app@127.0.0.1/app")).run());
    }

    private static String queryOne(TestPostgres postgres, String sql) throws SQLException {
        try (Connection connection = postgres.dataSource().getConnection();
             Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            assertTrue(row.next(), () -> "no row: " + sql);
            return row.getString(1);
        }
    }
}
