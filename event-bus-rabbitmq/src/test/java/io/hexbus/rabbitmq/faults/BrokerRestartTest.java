package io.hexbus.rabbitmq.faults;

import io.hexbus.api.testing.faults.Runs;
import io.hexbus.api.testing.faults.RunLog;
import io.hexbus.api.testing.faults.ContinuousPublisher;
import io.hexbus.api.testing.faults.DeliveryAudit;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.testing.TestLogs;
import io.hexbus.rabbitmq.RabbitTransport;
import io.hexbus.rabbitmq.testing.PrivateRabbitNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The broker restarted mid-run ({@code rabbitmqctl stop_app}, then {@code start_app}) while a publisher publishes
 * and two workers handle, on a node of the test's own ({@link PrivateRabbitNode}): the work queue and the ledger are
 * quorum queues and streams, kept on disk. Publishes fail while it is down; the workers reconnect; every event whose
 * publish was confirmed is finished by both subscriptions, none recorded done runs again ({@link DeliveryAudit}), and
 * {@code completed} counts each event recorded done once.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BrokerRestartTest {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerRestartTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closedAfter(T resource) {
        resources.add(resource);
        return resource;
    }

    @Test
    void theBrokerRestartedMidRunLosesNoConfirmedEventAndRunsNothingDoneAgain() throws Exception {
        PrivateRabbitNode rabbit = closedAfter(PrivateRabbitNode.start(TestLogs.file("rabbit")));
        FaultQueue queue = FaultQueue.create(rabbit.url(), Duration.ofSeconds(3));
        Path firstRuns = TestLogs.file("first-runs");
        Path secondRuns = TestLogs.file("second-runs");
        RabbitTransport first = transport(queue, firstRuns);
        RabbitTransport second = transport(queue, secondRuns);
        LedgerTail ledger = closedAfter(new LedgerTail(rabbit.factory(), queue.settings().names().ledgerStream()));
        first.startWorker();
        second.startWorker();
        List<Path> logs = List.of(firstRuns, secondRuns);
        ContinuousPublisher publisher = closedAfter(new ContinuousPublisher(first.eventBus(), Duration.ofMillis(5)));

        awaitFinished(logs, 100);
        rabbit.stopApp();
        LOG.info("Stopped the broker after {} publishes", publisher.acknowledgedCount());
        await().atMost(WAIT).until(() -> !publisher.uncertain().isEmpty()); // publishing while it is down fails
        rabbit.startApp();
        LOG.info("Started the broker again after {} refused publishes", publisher.uncertain().size());
        int before = Runs.read(logs).finished("bill").size();
        awaitFinished(logs, before + 100);
        publisher.close();

        DeliveryAudit audit = await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> new DeliveryAudit(publisher.acknowledged(), publisher.uncertain(), Runs.read(logs),
                        ledger.read()), DeliveryAudit::complete);
        LOG.info("Broker restarted mid-run: {}", audit.summary());
        audit.check();
        assertFalse(publisher.uncertain().isEmpty(), "publishes failed while the broker was down");
        // The admin of a transport connected before the restart does not reconnect (its connection has no recovery):
        // the statistics are read through a transport connected after it.
        RabbitTransport observer = closedAfter(queue.connect(FaultQueue.processor(), 1));
        QueueStats stats = await().atMost(WAIT).until(() -> observer.admin().stats(),
                s -> s.waiting() == 0 && s.active() == 0 && s.reserved() == 0
                        && s.completed() >= ledger.read().size());
        LOG.info("Stats after the restart: {}; lost 0, repeated {}, pending {}", stats, audit.reRuns(),
                stats.waiting() + stats.active() + stats.reserved());
        // Exact: a settle confirmed on a worker's connection is in the ledger before the broker redelivers what that
        // connection held, and a takeover is decided only once the ledger is read up to then.
        assertEquals(ledger.read().size(), stats.completed(), "each event recorded done counted once");
        assertEquals(0, stats.deadLettered());
        assertEquals(0, stats.failedAttempts(), "a broker restart is not a failed attempt");
    }

    private RabbitTransport transport(FaultQueue queue, Path runs) {
        DomainEventsProcessor processor = FaultQueue.processor();
        closedAfter(RunLog.open(runs)).register(processor, Duration.ofMillis(5));
        return closedAfter(queue.connect(processor, 4));
    }

    private static void awaitFinished(List<Path> logs, int events) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> Runs.read(logs).finished("bill").size() >= events);
    }
}
