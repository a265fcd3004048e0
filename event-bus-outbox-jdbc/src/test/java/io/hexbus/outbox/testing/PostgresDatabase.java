package io.hexbus.outbox.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import javax.sql.DataSource;

/**
 * A {@link TestPostgres} for one test class: created before all its tests, closed (dropped) after them. Register it
 * on a static field, {@code @RegisterExtension static final PostgresDatabase postgres = new PostgresDatabase();}: its
 * database is then there for the class's own {@code @BeforeAll} methods, and still there in its {@code @AfterAll}
 * methods, which JUnit runs before this extension's.
 *
 * <p>Thread-safety: thread-safe between those two callbacks; {@link #dataSource} and {@link #jdbcUrl} fail outside
 * them.
 */
public final class PostgresDatabase implements BeforeAllCallback, AfterAllCallback {

    // Set by JUnit's thread in beforeAll, read by the tests' threads after it: volatile, so they see it.
    private volatile TestPostgres postgres;

    /**
     * Creates the class's database.
     *
     * @throws IllegalStateException if no PostgreSQL can be had, as {@link TestPostgres#create} says
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        postgres = TestPostgres.create();
    }

    /** Drops the class's database, closing its connections. */
    @Override
    public void afterAll(ExtensionContext context) {
        TestPostgres created = postgres;
        postgres = null;
        if (created != null) {
            created.close();
        }
    }

    /**
     * @return the JDBC URL of this class's database, as {@link TestPostgres#jdbcUrl}
     * @throws IllegalStateException outside the class's tests
     */
    public String jdbcUrl() {
        return created().jdbcUrl();
    }

    /**
     * @return a data source of plain connections to this class's database, as {@link TestPostgres#dataSource}
     * @throws IllegalStateException outside the class's tests
     */
    public DataSource dataSource() {
        return created().dataSource();
    }

    private TestPostgres created() {
        TestPostgres created = postgres;
        if (created == null) {
            throw new IllegalStateException("no database outside the test class: register PostgresDatabase on a"
                    + " static field with @RegisterExtension");
        }
        return created;
    }

    @Override
    public String toString() {
        return "PostgresDatabase[" + postgres + "]";
    }
}
