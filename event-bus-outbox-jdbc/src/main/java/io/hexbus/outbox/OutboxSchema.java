package io.hexbus.outbox;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The outbox's tables, created and upgraded by the Flyway migrations this module ships in
 * {@value #MIGRATION_LOCATION}. They keep their own history table, {@value #HISTORY_TABLE}, so they never meet the
 * application's own Flyway: each sees only its own migrations, in any order of running.
 *
 * <p>A team that runs its own migrations instead copies {@link #scripts()} (the files under
 * {@code src/main/resources/io/hexbus/outbox/migration}, docs/outbox.md) into them, each once, in order.
 *
 * <p>Thread-safety: the methods are thread-safe; two processes migrating at once are serialized by Flyway's lock on
 * the history table. They block until the migrations ran.
 */
public final class OutboxSchema {

    /** Where the migrations are, as a Flyway location. */
    public static final String MIGRATION_LOCATION = "classpath:io/hexbus/outbox/migration";

    /** The history table of the outbox's migrations, apart from the application's {@code flyway_schema_history}. */
    public static final String HISTORY_TABLE = "hexbus_outbox_schema_history";

    // In version order; OutboxSchemaTest checks that it names exactly what Flyway finds.
    static final List<String> SCRIPT_FILES = List.of("V1__hexbus_outbox.sql", "V2__hexbus_outbox_dead.sql",
            "V3__hexbus_outbox_retrying_key.sql");

    private OutboxSchema() {
    }

    /**
     * Brings the outbox's tables up to date in the connections' current schema (their {@code search_path}, or the
     * JDBC URL's {@code currentSchema}). Idempotent: what ran before is not run again.
     *
     * @param dataSource the database the outbox lives in; its user may create tables
     * @throws OutboxSchemaException if a migration failed or the history does not match the migrations
     */
    public static void migrate(DataSource dataSource) {
        run(configuration(dataSource), "its current schema");
    }

    /**
     * Brings the outbox's tables up to date in the given schema, created if it does not exist; the connections of
     * the outbox's event bus and relay must then have that schema on their {@code search_path}.
     *
     * @param dataSource the database the outbox lives in; its user may create the schema and tables
     * @param schema     the schema, as PostgreSQL names it (unquoted names are lower case)
     * @throws OutboxSchemaException if a migration failed or the history does not match the migrations
     */
    public static void migrate(DataSource dataSource, String schema) {
        Objects.requireNonNull(schema, "schema");
        run(configuration(dataSource).schemas(schema), "schema " + schema);
    }

    /**
     * The SQL of the outbox's migrations, for a team that runs its own: each runs once, in this order, on
     * PostgreSQL 12 or later.
     *
     * @return the scripts' text, in version order (the first creates the table)
     */
    public static List<String> scripts() {
        return SCRIPT_FILES.stream().map(OutboxSchema::read).toList();
    }

    private static FluentConfiguration configuration(DataSource dataSource) {
        return Flyway.configure(OutboxSchema.class.getClassLoader())
                .dataSource(Objects.requireNonNull(dataSource, "dataSource"))
                .locations(MIGRATION_LOCATION)
                .table(HISTORY_TABLE)
                // A database that already holds the application's tables has no history of ours yet: start one.
                // At version 0, not Flyway's default 1, or the baseline would mark V1 as run and skip the table.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("hexbus outbox history started")
                // The scripts are plain SQL; a ${ in them is never a placeholder.
                .placeholderReplacement(false);
    }

    private static void run(FluentConfiguration configuration, String where) {
        try {
            configuration.load().migrate();
        } catch (FlywayException e) {
            throw new OutboxSchemaException("the outbox's migrations failed in " + where + ": " + e.getMessage(), e);
        }
    }

    private static String read(String file) {
        String resource = MIGRATION_LOCATION.substring("classpath:".length()) + "/" + file;
        try (InputStream in = OutboxSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the migration " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the migration " + resource, e);
        }
    }
}
