package io.hexbus.outbox.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.UUID;

/**
 * A PostgreSQL database of a test's own, found in this order: on the server {@code DATABASE_URL} names (a JDBC URL,
 * {@code jdbc:postgresql://host:port/db?user=…&password=…}), a schema of its own, since such a server may not let a
 * test create databases; else on the server at {@code 127.0.0.1:5432} (user {@code postgres}, trust auth), a database
 * of its own; else an embedded PostgreSQL started from Maven Central's binaries ({@code io.zonky.test}), which cannot
 * run as root; else the test fails saying how to get one. Never skipped. {@link #close} drops what it created.
 *
 * <p>Thread-safety: thread-safe once created.
 */
public final class TestPostgres implements AutoCloseable {

    /** The variable naming an external PostgreSQL, as a JDBC URL. */
    public static final String URL_VARIABLE = "DATABASE_URL";

    private static final String LOCAL_ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private static final String HOW_TO_GET_POSTGRES = "set " + URL_VARIABLE + "=jdbc:postgresql://host:5432/db"
            + "?user=…&password=… of a PostgreSQL 12+ where the user may create a schema, or run one on 127.0.0.1:5432"
            + " with trust auth for user postgres (Debian: apt-get install postgresql; pg_ctlcluster 15 main start)";

    private final String jdbcUrl;
    private final Runnable drop;
    private final String describe;

    private TestPostgres(String jdbcUrl, Runnable drop, String describe) {
        this.jdbcUrl = jdbcUrl;
        this.drop = drop;
        this.describe = describe;
    }

    /**
     * Creates a database (or, on {@code DATABASE_URL}, a schema) of the caller's own.
     *
     * @return it
     * @throws IllegalStateException if no PostgreSQL can be had, saying how to get one
     */
    public static TestPostgres create() {
        String name = "hexbus_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String external = System.getenv(URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            return inSchema(external, name);
        }
        SQLException local;
        try {
            return inDatabase(LOCAL_ADMIN, name, null);
        } catch (SQLException e) {
            local = e;
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            String admin = embedded.getJdbcUrl("postgres", "postgres");
            return inDatabase(admin, name, embedded);
        } catch (IOException | SQLException | RuntimeException e) {
            IllegalStateException failure = new IllegalStateException("no PostgreSQL for the tests: none at "
                    + "127.0.0.1:5432 (" + local.getMessage() + ") and the embedded one did not start (" + e
                    + "); " + HOW_TO_GET_POSTGRES, e);
            failure.addSuppressed(local);
            throw failure;
        }
    }

    private static TestPostgres inDatabase(String adminUrl, String name, EmbeddedPostgres embedded)
            throws SQLException {
        execute(adminUrl, "CREATE DATABASE " + name);
        String url = adminUrl.replace("/postgres?", "/" + name + "?");
        return new TestPostgres(url, () -> {
            try {
                execute(adminUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop the test database " + name + ": " + e.getMessage(),
                        e);
            } finally {
                if (embedded != null) {
                    try {
                        embedded.close();
                    } catch (IOException e) {
                        throw new IllegalStateException("the embedded PostgreSQL did not stop: " + e, e);
                    }
                }
            }
        }, "database " + name + (embedded == null ? " on 127.0.0.1:5432" : " on an embedded PostgreSQL"));
    }

    private static TestPostgres inSchema(String url, String name) {
        try {
            execute(url, "CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(URL_VARIABLE + " names a PostgreSQL where a schema cannot be created ("
                    + e.getMessage() + "); " + HOW_TO_GET_POSTGRES, e);
        }
        String own = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
        return new TestPostgres(own, () -> {
            try {
                execute(url, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop the test schema " + name + ": " + e.getMessage(), e);
            }
        }, "schema " + name + " of " + URL_VARIABLE);
    }

    private static void execute(String url, String sql) throws SQLException {
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setUrl(url);
        admin.setConnectTimeout(5);
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** @return the JDBC URL of this database (user and password included, as the tests' server needs them) */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** @return a data source of plain connections to this database; pool them where a test needs to */
    public DataSource dataSource() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(jdbcUrl);
        source.setConnectTimeout(5);
        return source;
    }

    /** Drops the database or schema, closing its connections; stops an embedded server. */
    @Override
    public void close() {
        drop.run();
    }

    @Override
    public String toString() {
        return "TestPostgres[" + Objects.requireNonNull(describe) + "]";
    }
}
