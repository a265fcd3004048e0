package io.hexbus.kafka.faults;

import io.hexbus.api.testing.faults.Runs;
import io.hexbus.api.testing.faults.RunLog;
import io.hexbus.api.testing.faults.ContinuousPublisher;
import io.hexbus.api.testing.faults.DeliveryAudit;
import io.hexbus.api.testing.faults.ParcelSent;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.testing.TestLogs;
import io.hexbus.api.testing.ChildJvms;
import io.hexbus.engine.worker.EngineWorker;
import io.hexbus.kafka.KafkaTransport;
import io.hexbus.api.testing.faults.Runs.Run;
import io.hexbus.kafka.testing.TestKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workers come and go while events flow, on the shared test Kafka: a worker JVM killed (SIGKILL) in the middle of its
 * handlers, and a worker joining and another leaving gracefully while handlers run. Every event whose publish returned
 * is finished by both subscriptions, and no subscription runs on an event once the group recorded it done
 * ({@link DeliveryAudit}); each test logs its counts. Each worker JVM's output and every run log go to files next
 * to the test's log.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WorkerFaultTest {

    // Small heaps and C1 only: several worker JVMs share two cores with the broker.
    private static final List<String> WORKER_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final Logger LOG = LoggerFactory.getLogger(WorkerFaultTest.class);
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final FaultQueue queue = FaultQueue.create(TestKafka.shared(), 4, 1, 1, Duration.ofSeconds(5));
    private final ChildJvms jvms = new ChildJvms();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        try {
            jvms.close();
        } finally {
            try {
                for (int i = resources.size() - 1; i >= 0; i--) {
                    resources.get(i).close();
                }
            } finally {
                queue.delete();
            }
        }
    }

    private <T extends AutoCloseable> T closedAfter(T resource) {
        resources.add(resource);
        return resource;
    }

    /** A transport of the test's JVM whose workers record their runs in {@code runs}. */
    private KafkaTransport transport(Path runs, Duration work) {
        DomainEventsProcessor processor = FaultQueue.processor();
        closedAfter(RunLog.open(runs)).register(processor, work);
        return closedAfter(queue.connect(processor, 4));
    }

    private List<String> workerArgs(Path runs, Duration work) {
        List<String> args = new ArrayList<>(List.of(runs.toString(), Long.toString(work.toMillis()), "4"));
        args.addAll(queue.args());
        return args;
    }

    @Test
    void aWorkerJvmKilledMidHandlerLeavesItsWorkToAnotherAndNoSubscriptionRecordedDoneRunsAgain() throws Exception {
        Path doomedRuns = TestLogs.file("doomed-runs");
        Path rescuerRuns = TestLogs.file("rescuer-runs");
        KafkaTransport rescuer = transport(rescuerRuns, Duration.ofMillis(10)); // creates the topics; no worker yet
        StateTopicRecords state = closedAfter(new StateTopicRecords(queue.servers(), queue.settings()));
        // Alone in the group until killed: what it had recorded done is its own work.
        Process doomed = jvms.start(TestLogs.file("doomed"), WORKER_JVM, WorkerMain.class,
                workerArgs(doomedRuns, Duration.ofMillis(250)));
        Set<UUID> published = new HashSet<>();
        for (int i = 1; i <= 80; i++) {
            ParcelSent event = ParcelSent.numbered(i);
            rescuer.eventBus().publish(event);
            published.add(event.eventId());
        }

        // Killed while a handler runs, once it has had events recorded done.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Runs runs = Runs.read(List.of(doomedRuns));
            return !runs.cut().isEmpty() && doneBy(runs, state.read()).size() >= 3;
        });
        jvms.kill(doomed);
        Runs atKill = Runs.read(List.of(doomedRuns));
        Set<UUID> doneBeforeKill = doneBy(atKill, state.read());
        List<Run> cut = atKill.cut();
        LOG.info("Killed the worker JVM with {} runs cut short and {} events it finished recorded done", cut.size(),
                doneBeforeKill.size());
        assertFalse(cut.isEmpty(), "the JVM was killed in the middle of a handler");
        assertFalse(doneBeforeKill.isEmpty());
        rescuer.startWorker(); // joins once the group has evicted the dead worker (its session timeout)

        List<Path> logs = List.of(doomedRuns, rescuerRuns);
        DeliveryAudit audit = await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> new DeliveryAudit(published, Set.of(), Runs.read(logs), state.read()),
                        DeliveryAudit::complete);
        LOG.info("Worker killed mid-handler: {}", audit.summary());
        audit.check();
        Runs rescued = Runs.read(List.of(rescuerRuns));
        for (Run run : cut) {
            assertTrue(rescued.finished(run.subscription()).contains(run.eventId()),
                    () -> "the run cut short was finished by the other worker: " + run);
        }
        assertEquals(Set.of(), rescued.all().stream().map(Run::eventId).filter(doneBeforeKill::contains)
                .collect(Collectors.toSet()), "what the killed worker had recorded done is not run again");
        // The rescuer counts every event whose id it recorded: all but those the killed worker recorded. What the
        // killed worker counted is the events it recorded, less those recorded in its last fetch pass before the
        // kill (a report is written once the offsets it counts are committed): a SIGKILL decides how many.
        int doneByDoomed = doneBy(Runs.read(List.of(doomedRuns)), state.read()).size();
        QueueStats stats = await().atMost(WAIT).until(() -> rescuer.admin().stats(),
                s -> s.waiting() == 0 && s.active() == 0 && s.reserved() == 0
                        && s.completed() >= published.size() - doneByDoomed);
        LOG.info("Stats after the kill: {}", stats);
        assertTrue(stats.completed() <= published.size(), () -> "no event counted completed twice: " + stats);
        assertEquals(0, stats.deadLettered());
        assertEquals(0, stats.failedAttempts(), "a crash is not a failed attempt");
    }

    @Test
    void aWorkerJoiningAndAnotherLeavingWhileHandlersRunLoseNothingAndRunNothingDoneAgain() throws Exception {
        Path firstRuns = TestLogs.file("first-runs");
        Path secondRuns = TestLogs.file("second-runs");
        Path joinerRuns = TestLogs.file("joiner-runs");
        Duration work = Duration.ofMillis(20);
        KafkaTransport first = transport(firstRuns, work);
        KafkaTransport second = transport(secondRuns, work);
        StateTopicRecords state = closedAfter(new StateTopicRecords(queue.servers(), queue.settings()));
        EngineWorker leaver = first.startWorker();
        second.startWorker();
        List<Path> logs = List.of(firstRuns, secondRuns, joinerRuns);
        ContinuousPublisher publisher = closedAfter(new ContinuousPublisher(first.eventBus(), Duration.ofMillis(5)));

        awaitFinished(logs, 100);
        KafkaTransport joiner = transport(joinerRuns, work);
        joiner.startWorker();
        LOG.info("A worker joined after {} publishes", publisher.acknowledgedCount());
        await().atMost(WAIT).until(() -> Runs.read(List.of(joinerRuns)).finished("bill").size() >= 50);
        leaver.close(); // graceful: stops fetching, lets its handlers finish, leaves the group
        LOG.info("A worker left after {} publishes", publisher.acknowledgedCount());
        int before = Runs.read(logs).finished("bill").size();
        awaitFinished(logs, before + 150);
        publisher.close();

        DeliveryAudit audit = await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> new DeliveryAudit(publisher.acknowledged(), publisher.uncertain(), Runs.read(logs),
                        state.read()), DeliveryAudit::complete);
        LOG.info("A worker joined and one left: {}", audit.summary());
        audit.check();
        assertEquals(List.of(), audit.runs().cut(), "a rebalance and a graceful leave cut no handler short");
        assertEquals(Set.of(), publisher.uncertain());
        int done = state.read().size();
        QueueStats stats = await().atMost(WAIT).until(() -> second.admin().stats(),
                s -> s.waiting() == 0 && s.active() == 0 && s.reserved() == 0 && s.completed() >= done);
        LOG.info("Stats after the rebalances: {}", stats);
        assertEquals(done, stats.completed(), "each event recorded done counted once, settled on a revoked partition"
                + " or not");
        assertEquals(0, stats.deadLettered());
        assertEquals(0, stats.failedAttempts(), "a rebalance is not a failed attempt");
    }

    private static void awaitFinished(List<Path> logs, int events) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> Runs.read(logs).finished("bill").size() >= events);
    }

    /** The events whose every subscription the runs finished and that the group recorded done. */
    private static Set<UUID> doneBy(Runs runs, Map<UUID, Long> done) {
        Set<UUID> finished = new HashSet<>(runs.finished(RunLog.SUBSCRIPTIONS.get(0)));
        RunLog.SUBSCRIPTIONS.forEach(s -> finished.retainAll(runs.finished(s)));
        finished.retainAll(done.keySet());
        return finished;
    }
}
