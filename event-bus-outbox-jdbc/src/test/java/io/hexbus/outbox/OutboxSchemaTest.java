package io.hexbus.outbox;

import io.hexbus.outbox.testing.PostgresDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxSchemaTest {

    private static final Set<String> INDEXES = Set.of("hexbus_outbox_pkey", "hexbus_outbox_event_id_key",
            "hexbus_outbox_waiting", "hexbus_outbox_waiting_key", "hexbus_outbox_sent", "hexbus_outbox_dead",
            "hexbus_outbox_retrying_key");

    // Schemas of this run's own: on a shared DATABASE_URL the fixture drops only the schema it made.
    private static final String RUN = "_" + UUID.randomUUID().toString().substring(0, 8);
    private static final String TWICE = "twice" + RUN;
    private static final String SHARED = "shared" + RUN;
    private static final String BY_HAND = "by_hand" + RUN;
    private static final String BY_FLYWAY = "by_flyway" + RUN;

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();
    private static DataSource dataSource;

    @BeforeAll
    static void database() {
        dataSource = postgres.dataSource();
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String schema : List.of(TWICE, SHARED, BY_HAND, BY_FLYWAY)) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void migratingTwiceCreatesTheTableAndItsIndexesOnce() {
        OutboxSchema.migrate(dataSource, TWICE);
        OutboxSchema.migrate(dataSource, TWICE);

        assertEquals(INDEXES, indexes(TWICE));
        assertEquals(List.of("1", "2", "3"), query("SELECT version FROM " + TWICE + "." + OutboxSchema.HISTORY_TABLE
                + " WHERE success AND type = 'SQL' ORDER BY installed_rank"), "each migration ran once");
    }

    @Test
    void migratesBesideTheApplicationsOwnFlywayInEitherOrder() {
        Flyway application = Flyway.configure().dataSource(dataSource).schemas(SHARED)
                .locations("classpath:io/hexbus/outbox/appmigration").load();
        application.migrate();

        // The schema now holds the application's tables: ours starts its history at 0, so V1 still runs.
        OutboxSchema.migrate(dataSource, SHARED);
        application.migrate();

        assertEquals(INDEXES, indexes(SHARED));
        assertEquals(List.of("1"), query("SELECT version FROM " + SHARED
                + ".flyway_schema_history WHERE success AND type = 'SQL'"),
                "the application's history holds its own migration alone");
        assertEquals(List.of("0", "1", "2", "3"), query("SELECT version FROM " + SHARED + "."
                + OutboxSchema.HISTORY_TABLE + " WHERE success ORDER BY installed_rank"));
        assertEquals(List.of("0"), query("SELECT count(*) FROM " + SHARED + ".invoices"));
    }

    @Test
    void migratesTheConnectionsCurrentSchemaWithoutOne() throws SQLException {
        OutboxSchema.migrate(dataSource);

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT current_schema()")) {
            rows.next();
            assertEquals(INDEXES, indexes(rows.getString(1)));
        }
    }

    @Test
    void theScriptsForTeamsWithTheirOwnMigrationsAreWhatFlywayRuns() throws SQLException {
        List<String> found = new ArrayList<>();
        for (MigrationInfo info : Flyway.configure().dataSource(dataSource)
                .locations(OutboxSchema.MIGRATION_LOCATION).load().info().all()) {
            found.add(info.getScript());
        }
        assertEquals(OutboxSchema.SCRIPT_FILES, found);

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + BY_HAND + "; SET search_path TO " + BY_HAND);
            for (String script : OutboxSchema.scripts()) {
                s.execute(script);
            }
        }
        OutboxSchema.migrate(dataSource, BY_FLYWAY);
        assertEquals(columns(BY_FLYWAY), columns(BY_HAND));
        assertEquals(INDEXES, indexes(BY_HAND));
    }

    private static Set<String> indexes(String schema) {
        return new TreeSet<>(query("SELECT indexname FROM pg_indexes WHERE tablename = 'hexbus_outbox'"
                + " AND schemaname = '" + schema + "'"));
    }

    private static List<String> columns(String schema) {
        return query("SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' '"
                + " || coalesce(column_default, '') || ' ' || is_identity FROM information_schema.columns"
                + " WHERE table_name = 'hexbus_outbox' AND table_schema = '" + schema + "' ORDER BY ordinal_position");
    }

    private static List<String> query(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet rows = s.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
