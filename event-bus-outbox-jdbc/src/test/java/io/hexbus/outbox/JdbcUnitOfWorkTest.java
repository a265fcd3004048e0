package io.hexbus.outbox;

import io.hexbus.outbox.testing.PostgresDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JdbcUnitOfWorkTest {

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();
    private static JdbcUnitOfWork units;

    @BeforeAll
    static void database() throws SQLException {
        units = new JdbcUnitOfWork(postgres.dataSource());
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (text text NOT NULL)");
        }
    }

    @Test
    void whatTheWorkWroteIsCommittedWhenItReturns() {
        String result = units.call(() -> {
            insert("kept");
            return "done";
        });

        assertEquals("done", result);
        assertEquals(1, count("kept"));
    }

    @Test
    void whatTheWorkWroteIsRolledBackWhenItThrowsAndTheExceptionIsTheWorks() {
        IllegalArgumentException thrown = new IllegalArgumentException("refused");

        IllegalArgumentException caught = assertThrows(IllegalArgumentException.class, () -> units.run(() -> {
            insert("dropped");
            throw thrown;
        }));

        assertSame(thrown, caught);
        assertEquals(0, count("dropped"));
    }

    @Test
    void anInnerUnitJoinsTheOuterOneAndIsRolledBackWithIt() {
        assertThrows(IllegalStateException.class, () -> units.run(() -> {
            units.run(() -> insert("inner"));
            assertTrue(units.inUnitOfWork());
            throw new IllegalStateException("outer fails after the inner returned");
        }));

        assertEquals(0, count("inner"));
        assertFalse(units.inUnitOfWork());
    }

    @Test
    void actionsAfterCommitRunOnceCommittedNeverAfterARollbackAndTheirFailureIsNotTheUnits() {
        List<String> ran = new ArrayList<>();

        String result = units.call(() -> {
            units.afterCommit(() -> ran.add("first, seeing " + count("after")));
            units.run(() -> units.afterCommit(() -> ran.add("inner, at the outer commit")));
            units.afterCommit(() -> {
                throw new IllegalStateException("an action's bug");
            });
            insert("after");
            assertEquals(List.of(), ran, "not before the commit");
            return "committed";
        });
        assertThrows(IllegalArgumentException.class, () -> units.run(() -> {
            units.afterCommit(() -> ran.add("rolled back"));
            throw new IllegalArgumentException("refused");
        }));

        assertEquals("committed", result);
        assertEquals(List.of("first, seeing 1", "inner, at the outer commit"), ran);
        assertThrows(NoUnitOfWorkException.class, () -> units.afterCommit(() -> { }));
    }

    @Test
    void outsideAUnitThereIsNoConnectionAndTheErrorSaysWhatToDo() {
        NoUnitOfWorkException e = assertThrows(NoUnitOfWorkException.class, units::connection);

        assertTrue(e.getMessage().contains("UnitOfWork.run"), e.getMessage());
    }

    private static void insert(String text) {
        try (Statement s = units.connection().createStatement()) {
            s.executeUpdate("INSERT INTO notes VALUES ('" + text + "')");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String text) {
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT count(*) FROM notes WHERE text = '" + text + "'")) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
