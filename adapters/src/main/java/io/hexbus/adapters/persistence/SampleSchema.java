package io.hexbus.adapters.persistence;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.util.Objects;

/**
 * The sample's tables, by Flyway migrations of their own ({@value #LOCATION}, history in {@value #HISTORY_TABLE}),
 * apart from the outbox's: each schema changes with its own code, and neither one's history names the other's
 * scripts.
 */
public final class SampleSchema {

    /** Where the migrations are, on the class path. */
    public static final String LOCATION = "classpath:io/hexbus/adapters/persistence/migration";
    /** Flyway's history table of these migrations. */
    public static final String HISTORY_TABLE = "hexbus_sample_schema_history";

    private SampleSchema() {
    }

    /**
     * Brings the sample's tables to the latest version; does nothing when they are. Blocks while it runs; safe to
     * run from several processes at once (Flyway takes a lock in the database).
     *
     * @param dataSource the database, in the schema the connections use by default
     * @throws org.flywaydb.core.api.FlywayException if a migration fails, or one applied before was changed
     */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(Objects.requireNonNull(dataSource, "dataSource"))
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                // The schema usually holds the outbox's tables already: without this, Flyway refuses a non-empty
                // schema that has no history table of ours. Version 0, so that our V1 still runs.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
