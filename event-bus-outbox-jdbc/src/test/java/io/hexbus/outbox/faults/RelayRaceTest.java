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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two relays, of two application instances (each its own Redis transport), race over one outbox table while use
 * cases commit continuously: nothing is lost, no subscription runs an event twice, each key is handled in commit
 * order. The test logs its counts.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RelayRaceTest {

    private static final Logger LOG = LoggerFactory.getLogger(RelayRaceTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    @Test
    void twoRelaysRacingWhileUseCasesCommitLoseNothingAndRunNoSubscriptionTwice() throws Exception {
        try (OutboxFaults faults = new OutboxFaults(postgres.dataSource(), TestRedis.shared())) {
            CountingBus targetA = faults.target();
            CountingBus targetB = faults.target();
            OutboxRelay a = faults.relay("relay-a", postgres.dataSource(), targetA);
            OutboxRelay b = faults.relay("relay-b", postgres.dataSource(), targetB);
            Set<UUID> committed;
            try (Committer committer = new Committer(faults.units, faults.outbox, 3, 2, 0, Duration.ofMillis(1),
                    events -> { })) {
                await().atMost(WAIT).until(() -> faults.handled.handledByAll().size() >= 2_000
                        && a.status().forwarded() > 0 && b.status().forwarded() > 0);
                committer.close();
                committed = committer.committed();
                assertEquals(Set.of(), committer.failed(), "no unit failed");
                LOG.info("Units: {}", committer.units());
            }
            OutboxAudit audit = await().atMost(WAIT).until(() -> new OutboxAudit(committed, Set.of(), faults.handled),
                    OutboxAudit::complete);
            await().atMost(WAIT).until(() -> a.status().waiting() == 0);

            long forwardedA = a.status().forwarded();
            long forwardedB = b.status().forwarded();
            LOG.info("Two relays racing: {}; relay-a forwarded {} ({}), relay-b {} ({})", audit, forwardedA, targetA,
                    forwardedB, targetB);
            audit.check();
            assertEquals(committed, faults.rows(), "the outbox holds exactly what committed");
            assertTrue(forwardedA > 0 && forwardedB > 0, "both relays took part");
            assertEquals(committed.size(), forwardedA + forwardedB, "each row forwarded by one relay");
            assertEquals(committed.size(), targetA.published() + targetB.published());
            assertEquals(0, targetA.duplicates() + targetB.duplicates(), "no row went to the transport twice");
        }
    }
}
