package io.hexbus.outbox.faults;

import io.hexbus.outbox.OutboxRelay;
import io.hexbus.outbox.testing.PostgresDatabase;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Use cases that publish and then fail roll their events back with their transaction: while a relay forwards the
 * others, none of theirs is ever in the outbox, forwarded or handled. The test logs its counts.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RollbackTest {

    private static final Logger LOG = LoggerFactory.getLogger(RollbackTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    @Test
    void nothingOfAUnitThatRolledBackIsEverForwardedOrHandled() throws Exception {
        try (OutboxFaults faults = new OutboxFaults(postgres.dataSource(), TestRedis.shared())) {
            CountingBus target = faults.target();
            OutboxRelay relay = faults.relay("relay", postgres.dataSource(), target);
            Set<UUID> committed;
            Set<UUID> rolledBack;
            try (Committer committer = new Committer(faults.units, faults.outbox, 2, 3, 3, Duration.ofMillis(2),
                    events -> { })) {
                await().atMost(WAIT).until(() -> committer.units().get("rolledBack") >= 100);
                committer.close();
                committed = committer.committed();
                rolledBack = committer.rolledBack();
                assertEquals(Set.of(), committer.failed(), "no unit failed but on purpose");
                LOG.info("Units: {}", committer.units());
            }
            // Idle: nothing waits. The one worker handles the stream in order, so once every committed event is
            // handled, a rolled-back one forwarded among them would have been handled too.
            await().atMost(WAIT).until(() -> relay.status().waiting() == 0);
            OutboxAudit audit = await().atMost(WAIT).until(() -> new OutboxAudit(committed, Set.of(), faults.handled),
                    OutboxAudit::complete);

            Set<UUID> rows = faults.rows();
            Set<UUID> rolledBackInOutbox = new HashSet<>(rows);
            rolledBackInOutbox.retainAll(rolledBack);
            long rolledBackHandled = faults.handled.ranAnyOf(rolledBack);
            LOG.info("Rollbacks: {} events committed, {} rolled back; {} of those in the outbox, {} handled; {};"
                    + " forwarded {}; {}", committed.size(), rolledBack.size(), rolledBackInOutbox.size(),
                    rolledBackHandled, audit, relay.status().forwarded(), target);
            assertTrue(rolledBack.size() >= 100);
            assertEquals(Set.of(), rolledBackInOutbox, "no row of a rolled-back unit");
            assertEquals(0, rolledBackHandled, "no handler ran on an event of a rolled-back unit");
            assertEquals(committed, rows, "the outbox holds exactly what committed");
            audit.check();
            assertEquals(committed.size(), relay.status().forwarded());
            assertEquals(committed.size(), target.published());
            assertEquals(0, target.duplicates());
        }
    }
}
