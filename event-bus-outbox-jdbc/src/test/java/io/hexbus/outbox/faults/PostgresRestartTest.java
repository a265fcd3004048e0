package io.hexbus.outbox.faults;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.outbox.OutboxEventBus;
import io.hexbus.outbox.OutboxRelay;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL restarted while use cases commit through a HikariCP pool and a relay forwards, stopped cleanly ({@code -m
 * fast}: every connection cut) or as a crash ({@code -m immediate}: recovered from the WAL at the start): the units
 * that run while it is down fail, and are not delivered; every unit that committed is handled once per subscription, in
 * key order; the relay recovers by itself, its LISTEN connection too (it polls once an hour: after the restart, the
 * commits' notifications wake it). The server is a private one ({@link PrivatePostgres}), stopped in {@link #stop()}
 * whatever happened. The test logs its counts.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class PostgresRestartTest {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresRestartTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RELAY = "restart-relay";

    private static PrivatePostgres postgres;

    @BeforeAll
    static void start() {
        postgres = PrivatePostgres.start();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @ParameterizedTest(name = "pg_ctl stop -m {0}")
    // fast: a clean shutdown that cuts every connection; immediate: as a crash, recovered from the WAL at the start
    @ValueSource(strings = {"fast", "immediate"})
    void unitsFailWhilePostgresIsDownAndEveryOneThatCommittedIsHandledOnceAfterTheRelayRecovers(String mode)
            throws Exception {
        String url = postgres.createDatabase("restart_" + mode); // a table of its own per run: the verdict reads it
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setMaximumPoolSize(4);
        pool.setConnectionTimeout(1_000); // a use case fails soon while the database is down
        pool.setPoolName("use-cases");
        PGSimpleDataSource relaySource = new PGSimpleDataSource(); // named: its LISTEN connection is found by name
        relaySource.setUrl(url);
        relaySource.setConnectTimeout(2);
        relaySource.setApplicationName(RELAY);
        try (HikariDataSource useCases = new HikariDataSource(pool);
             OutboxFaults faults = new OutboxFaults(useCases, TestRedis.shared())) {
            JdbcUnitOfWork units = new JdbcUnitOfWork(useCases);
            OutboxEventBus outbox = faults.closedAfter(new OutboxEventBus(units, faults.codec, Clock.systemUTC()));
            CountingBus target = faults.target();
            // It polls once an hour: what it forwards after the restart, it was woken for by the notifications of the
            // bus's commits, on its LISTEN connection opened again.
            OutboxRelay relay = faults.relay(relaySource, target, OutboxFaults.relaySettings(RELAY)
                    .withPollInterval(Duration.ofHours(1)));
            Set<UUID> committed;
            Set<UUID> failed;
            try (Committer committer = new Committer(units, outbox, 2, 3, 0, Duration.ofMillis(2), events -> { })) {
                await().atMost(WAIT).until(() -> faults.handled.handledByAll().size() >= 300);

                postgres.stop(mode); // every connection cut, the relay's pass and LISTEN too
                long committedWhileUp = committer.committedUnits();
                await().atMost(WAIT).until(() -> committer.failedUnits() >= 4);
                long committedWhileDown = committer.committedUnits() - committedWhileUp;
                postgres.restart();
                LOG.info("PostgreSQL stopped ({}) and restarted after {} units failed ({} returned while it went"
                        + " down)", mode, committer.failedUnits(), committedWhileDown);

                long unitsAtRestart = committer.committedUnits();
                await().atMost(WAIT).until(() -> committer.committedUnits() >= unitsAtRestart + 100);
                committer.close();
                committed = committer.committed();
                failed = committer.failed();
                LOG.info("Units: {}", committer.units());
                assertTrue(committer.failedUnits() >= 4, "units failed while the database was down");
            }
            // Every unit that threw is counted as not committed; a commit whose answer was lost in the shutdown may
            // have committed all the same: in doubt, it may be handled (the audit counts it), never lost or doubled.
            OutboxAudit audit = await().atMost(WAIT).until(() -> new OutboxAudit(committed, failed, faults.handled),
                    OutboxAudit::complete);
            await().atMost(WAIT).until(() -> relay.status().waiting() == 0);
            await().atMost(WAIT).until(() -> listening(relaySource) == 1);

            Set<UUID> rows = faults.rows();
            Set<UUID> failedInOutbox = new HashSet<>(failed);
            failedInOutbox.retainAll(rows);
            LOG.info("PostgreSQL restarted ({}): {}; {} events of failed units, {} of them committed after all;"
                    + " forwarded {}; {}; relay status {}", mode, audit, failed.size(), failedInOutbox.size(),
                    relay.status().forwarded(), target, relay.status());
            audit.check();
            assertTrue(rows.containsAll(committed), "every unit that returned committed");
            assertEquals(rows.size(), committed.size() + failedInOutbox.size(), "nothing else is in the outbox");
            assertEquals(failedInOutbox.size(), faults.handled.ranAnyOf(failed), "an event of a failed unit is"
                    + " handled only if its commit happened after all");
            assertTrue(relay.status().failingSince().isEmpty(), "the relay recovered: " + relay.status());
            assertEquals(rows.size(), target.published(), "each committed event accepted once as new");
        }
    }

    /** @return the relay's connections that listen for the outbox's notifications */
    private static long listening(PGSimpleDataSource relaySource) throws SQLException {
        try (Connection connection = relaySource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE application_name = ? AND pid <> pg_backend_pid() AND query LIKE 'LISTEN %'")) {
            select.setString(1, RELAY);
            try (ResultSet count = select.executeQuery()) {
                count.next();
                return count.getLong(1);
            }
        }
    }
}
