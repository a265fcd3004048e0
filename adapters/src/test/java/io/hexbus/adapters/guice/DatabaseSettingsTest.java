package io.hexbus.adapters.guice;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DATABASE_URL in both forms, and the password never shown: pure functions, no database. */
class DatabaseSettingsTest {

    private static final String PASSWORD = "p@ss:w/rd#?";
    private static final String ENCODED = "p%40ss%3Aw%2Frd%23%3F";

    @Test
    void withoutTheVariableThereIsNoDatabase() {
        assertEquals(Optional.empty(), DatabaseSettings.fromConfiguration(Map.of()));
        assertEquals(Optional.empty(), DatabaseSettings.fromConfiguration(Map.of("DATABASE_URL", "  ")));
    }

    @Test
    void aJdbcUrlIsUsedAsItIs() {
        String url = "jdbc:postgresql://db.example:5432/orders?user=app&password=" + ENCODED + "&sslmode=require";

        DatabaseSettings settings = DatabaseSettings.fromConfiguration(Map.of("DATABASE_URL", url)).orElseThrow();

        assertEquals(url, settings.jdbcUrl());
        assertEquals(Optional.empty(), settings.user());
        assertEquals(Optional.empty(), settings.password());
        assertEquals(DatabaseSettings.DEFAULT_POOL_SIZE, settings.poolSize());
    }

    @Test
    void aPostgresUrlGivesAJdbcUrlAndItsPercentDecodedUserAndPassword() {
        DatabaseSettings settings = DatabaseSettings.parse("postgres://app%2Bro:" + ENCODED
                + "@db.example:5432/orders?sslmode=require");

        assertEquals("jdbc:postgresql://db.example:5432/orders?sslmode=require", settings.jdbcUrl());
        assertEquals(Optional.of("app+ro"), settings.user());
        assertEquals(Optional.of(PASSWORD), settings.password());
    }

    @Test
    void anUnencodedPasswordWithReservedCharactersIsReadUpToTheLastAt() {
        DatabaseSettings settings = DatabaseSettings.parse("postgresql://app:" + PASSWORD + "@db.example:5432/orders");

        assertEquals("jdbc:postgresql://db.example:5432/orders", settings.jdbcUrl());
        assertEquals(Optional.of("app"), settings.user());
        assertEquals(Optional.of(PASSWORD), settings.password());
    }

    @Test
    void withoutUserOrDatabaseTheDriversDefaultsApply() {
        DatabaseSettings settings = DatabaseSettings.parse("postgres://localhost");

        assertEquals("jdbc:postgresql://localhost/", settings.jdbcUrl());
        assertEquals(Optional.empty(), settings.user());
        assertEquals(Optional.empty(), settings.password());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:postgresql://db.example:5432/orders?user=app&password=" + PASSWORD + "&sslmode=require",
            "jdbc:postgresql://db.example:5432/orders?user=app&password=" + ENCODED,
            "jdbc:postgresql://db.example:5432/orders?PASSWORD=" + PASSWORD + "&user=app",
            "postgres://app:" + PASSWORD + "@db.example:5432/orders",
            "postgres://app:" + ENCODED + "@db.example:5432/orders",
            "postgresql://app:" + PASSWORD + "@db.example/orders?sslmode=require"})
    void theDescriptionAndToStringNeverShowThePassword(String url) {
        DatabaseSettings settings = DatabaseSettings.fromConfiguration(Map.of("DATABASE_URL", url)).orElseThrow();

        for (String shown : new String[] {settings.describe(), settings.toString()}) {
            assertFalse(shown.contains("p@ss"), shown);
            assertFalse(shown.contains("w/rd"), shown);
            assertFalse(shown.contains("rd#"), shown);
            assertFalse(shown.contains(ENCODED), shown);
            assertFalse(shown.contains("p%40ss"), shown);
            assertTrue(shown.contains("db.example"), shown);
            assertTrue(shown.contains("****"), shown);
        }
    }

    @Test
    void theDescriptionKeepsWhatIsNotSecret() {
        assertEquals("jdbc:postgresql://db.example:5432/orders?sslmode=require as user 'app' (password ****),"
                        + " pool of 10",
                DatabaseSettings.parse("postgres://app:" + PASSWORD + "@db.example:5432/orders?sslmode=require")
                        .describe());
        assertEquals("jdbc:postgresql://db.example/orders?user=app&password=****&sslmode=require, pool of 10",
                DatabaseSettings.parse("jdbc:postgresql://db.example/orders?user=app&password=" + PASSWORD
                        + "&sslmode=require").describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://app:" + PASSWORD + "@db.example/orders", "db.example:5432",
            "jdbc:mysql://db.example/orders?password=" + PASSWORD, "postgres://app:" + PASSWORD + "@/orders"})
    void anotherKindOfUrlIsRefusedWithoutQuotingIt(String url) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DatabaseSettings.fromConfiguration(Map.of("DATABASE_URL", url)));

        assertTrue(refused.getMessage().startsWith("DATABASE_URL is not a PostgreSQL URL"), refused.getMessage());
        assertTrue(refused.getMessage().contains("postgres://user:password@host:5432/db"), refused.getMessage());
        assertFalse(refused.getMessage().contains("p@ss"), refused.getMessage());
        assertFalse(refused.getMessage().contains("db.example"), refused.getMessage());
    }

    @Test
    void thePoolSizeIsReadAndChecked() {
        assertEquals(4, DatabaseSettings.fromConfiguration(Map.of("DATABASE_URL", "postgres://localhost/app",
                "HEXBUS_DATABASE_POOL_SIZE", "4")).orElseThrow().poolSize());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DatabaseSettings.fromConfiguration(Map.of("DATABASE_URL", "postgres://localhost/app",
                        "HEXBUS_DATABASE_POOL_SIZE", "1")));
        assertTrue(refused.getMessage().startsWith("HEXBUS_DATABASE_POOL_SIZE='1' is not allowed"),
                refused.getMessage());
    }

    @Test
    void anInvalidPercentEscapeLeavesThePasswordAsWritten() {
        assertEquals(Optional.of("100%sure"), DatabaseSettings.parse("postgres://app:100%sure@localhost/app")
                .password());
    }
}
