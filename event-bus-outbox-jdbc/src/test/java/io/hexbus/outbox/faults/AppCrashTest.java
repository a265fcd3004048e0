package io.hexbus.outbox.faults;

import io.hexbus.api.testing.TestLogs;
import io.hexbus.api.testing.ChildJvms;
import io.hexbus.outbox.OutboxRelay;
import io.hexbus.outbox.testing.TestPostgres;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application JVM killed (SIGKILL): one that committed use cases with no relay running, and one whose relay was
 * forwarding (killed at any point of its passes, or between a forward the transport accepted and its mark). After a
 * relay runs again every committed event is handled once per subscription, in its key's commit order, on the Redis
 * transport; what was forwarded twice was absorbed by the transport's idempotency. Each test logs its counts; each
 * child JVM's output goes to a file next to the test's log.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class AppCrashTest {

    private static final List<String> APP_JVM = List.of("-Xshare:off");

    private static final Logger LOG = LoggerFactory.getLogger(AppCrashTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    // A database per test: each test's verdict reads the whole outbox table.
    private TestPostgres postgres;
    private OutboxFaults faults;
    private final ChildJvms jvms = new ChildJvms();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void start() {
        postgres = TestPostgres.create();
        faults = new OutboxFaults(postgres.dataSource(), TestRedis.shared());
    }

    @AfterEach
    void stopEverything() throws Exception {
        try {
            jvms.close();
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
        } finally {
            try {
                faults.close();
            } finally {
                postgres.close();
            }
        }
    }

    @Test
    void everyEventAnAppKilledAfterCommittingHadNotForwardedIsHandledOnceWhenARelayRunsAgain() throws Exception {
        Path committedIds = TestLogs.file("committed-ids");
        Process app = jvms.start(TestLogs.file("app"), APP_JVM, AppProcess.class,
                List.of("commit", postgres.jdbcUrl(), committedIds.toString()));
        await().atMost(WAIT).until(() -> ids(committedIds).size() >= 300);

        jvms.kill(app); // after commits, before any relay forwarded them: none runs
        Set<UUID> acknowledged = ids(committedIds);
        Set<UUID> rows = faults.rows();
        LOG.info("Killed the app after {} events committed and acknowledged ({} rows: the commit of a unit whose ids"
                + " the kill kept from the file counts too), none forwarded", acknowledged.size(), rows.size());
        assertTrue(rows.containsAll(acknowledged), "every acknowledged commit is in the outbox");
        assertEquals(rows.size(), faults.waiting(), "nothing forwarded before the relay runs");
        assertEquals(Set.of(), faults.handled.handledByAny());

        CountingBus target = faults.target();
        OutboxRelay relay = faults.relay("restarted-app", postgres.dataSource(), target);
        OutboxAudit audit = await().atMost(WAIT).until(() -> new OutboxAudit(rows, Set.of(), faults.handled),
                OutboxAudit::complete);
        await().atMost(WAIT).until(() -> relay.status().waiting() == 0);

        LOG.info("App killed before forwarding: {}; forwarded {}; {}", audit, relay.status().forwarded(), target);
        audit.check();
        assertEquals(rows.size(), relay.status().forwarded());
        assertEquals(rows.size(), target.published());
        assertEquals(0, target.duplicates());
    }

    @Test
    void aRelayJvmKilledWhileItForwardsContinuouslyLeavesEveryCommittedEventHandledOnceByTheNextRelay()
            throws Exception {
        relayJvmKilledThenSucceeded(false);
    }

    @Test
    void aRelayJvmKilledBetweenForwardAndMarkLeavesEveryCommittedEventHandledOnceByTheNextRelay() throws Exception {
        relayJvmKilledThenSucceeded(true);
    }

    /**
     * A relay JVM forwards while use cases commit, and is killed: at whatever point of its passes once 500 events were
     * handled, or, deterministically, once a batch was accepted by Redis and before it is marked sent.
     */
    private void relayJvmKilledThenSucceeded(boolean betweenForwardAndMark) throws Exception {
        Committer committer = closedAfter(new Committer(faults.units, faults.outbox, 2, 3, 0, Duration.ofMillis(2),
                events -> { }));
        Path relayLog = TestLogs.file("relay-jvm");
        String hangAfter = betweenForwardAndMark ? "500" : Long.toString(Long.MAX_VALUE);
        List<String> args = new ArrayList<>(List.of("relay", postgres.jdbcUrl(), faults.prefix, hangAfter));
        args.addAll(AppProcess.redisArgs(faults.redis));
        Process relayJvm = jvms.start(relayLog, APP_JVM, AppProcess.class, args);
        int notMarked = -1;
        if (betweenForwardAndMark) {
            // It forwards 500 events, then hangs after the transport accepted a batch and before marking it sent.
            String hung = await().atMost(WAIT).until(() -> Files.readString(relayLog).lines()
                    .filter(line -> line.startsWith(AppProcess.FORWARDED_NOT_MARKED)).findFirst(),
                    Optional::isPresent).orElseThrow();
            notMarked = Integer.parseInt(hung.substring(AppProcess.FORWARDED_NOT_MARKED.length() + 1));
        } else {
            await().atMost(WAIT).until(() -> faults.handled.handledByAll().size() >= 500);
        }

        jvms.kill(relayJvm); // mid-pass, as use cases commit: its transaction and row locks end with it
        int handledAtKill = faults.handled.handledByAll().size();
        long sentAtKill = faults.sent();
        long committedAtKill = committer.committedUnits();
        LOG.info("Killed the relay JVM{}; {} rows marked sent, {} events handled, {} units committed",
                betweenForwardAndMark ? " after its last batch of " + notMarked + " events was accepted by Redis and"
                        + " not marked sent" : " while it forwarded", sentAtKill, handledAtKill, committedAtKill);
        await().atMost(WAIT).until(() -> committer.committedUnits() >= committedAtKill + 100); // none forwards them

        CountingBus target = faults.target();
        OutboxRelay successor = faults.relay("successor", postgres.dataSource(), target);
        await().atMost(WAIT).until(() -> successor.status().forwarded() >= 100);
        committer.close();
        Set<UUID> committed = committer.committed();
        assertEquals(Set.of(), committer.failed(), "no unit failed: the database stayed up");
        assertEquals(committed, faults.rows(), "the outbox holds exactly what committed");
        OutboxAudit audit = await().atMost(WAIT).until(() -> new OutboxAudit(committed, Set.of(), faults.handled),
                OutboxAudit::complete);
        await().atMost(WAIT).until(() -> successor.status().waiting() == 0);

        LOG.info("Relay JVM killed{}: {}; the successor forwarded {}; {}", betweenForwardAndMark
                ? " between forward and mark" : " while forwarding", audit, successor.status().forwarded(), target);
        audit.check();
        if (betweenForwardAndMark) {
            assertEquals(notMarked, target.duplicates(), "the batch forwarded and not marked went again, and Redis"
                    + " answered DUPLICATE for each of its events");
        } else {
            assertTrue(target.duplicates() <= OutboxFaults.relaySettings("any").batchSize(),
                    () -> "at most the batch in flight went again: " + target);
        }
        assertEquals(committed.size() - sentAtKill, successor.status().forwarded(), "the successor forwarded every"
                + " row the killed relay had not marked sent, a batch forwarded and not marked included");
        assertEquals(successor.status().forwarded(), target.published() + target.duplicates());
    }

    private <T extends AutoCloseable> T closedAfter(T resource) {
        resources.add(resource);
        return resource;
    }

    /** The ids in the app's file: whole lines only (one write per unit; a line is being written as it is read). */
    private static Set<UUID> ids(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> line.length() == 36).map(UUID::fromString)
                .collect(Collectors.toSet());
    }
}
