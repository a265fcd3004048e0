package io.hexbus.redis.faults;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.publishing.PublishOptions;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.testing.ChildJvms;
import io.hexbus.api.testing.TestLogs;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.faults.WorkerProcess.ShipmentRequested;
import io.hexbus.redis.testing.RawRedis;
import io.hexbus.redis.testing.RedisServerProcess;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults across JVMs, on a private Redis: a worker JVM dies (SIGKILL) or freezes (SIGSTOP) in the middle of a
 * handler and another worker finishes the event; two publisher JVMs race on one event id. Each JVM's output goes
 * to a file next to the test's log ({@link TestLogs#file}); every JVM is stopped with the processes it started, and
 * the test fails if one outlives it ({@link ChildProcesses}).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProcessFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PREFIX = "hexbus-faults:{w}";

    private RedisServerProcess redis;
    private RawRedis raw;
    private final ChildJvms jvms = new ChildJvms();
    private final List<Process> workers = new ArrayList<>();
    private final List<RedisTransport> transports = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = TestRedis.startPrivate();
        raw = RawRedis.to(redis.connection());
    }

    @AfterEach
    void stopEverything() throws Exception {
        try {
            for (Process worker : workers) {
                signal(worker, "CONT"); // a frozen JVM would sit out its SIGTERM until killed
            }
            jvms.close();
        } finally {
            transports.forEach(RedisTransport::close);
            raw.close();
            redis.close();
        }
    }

    private Process startWorker(long visibilityMillis, long workMillis, Path log) throws IOException {
        return startJvm(log, WorkerProcess.class, Integer.toString(redis.port()), PREFIX,
                Long.toString(visibilityMillis), Long.toString(workMillis));
    }

    /** Starts a JVM on the test classpath and waits until it prints READY; all its output goes to log. */
    private Process startJvm(Path log, Class<?> main, String... args) throws IOException {
        return startJvm(List.of(), log, main, args);
    }

    private Process startJvm(List<String> wrapper, Path log, Class<?> main, String... args) throws IOException {
        Process process = jvms.startWrapped(wrapper, log, List.of(), main, List.of(args));
        workers.add(process);
        return process;
    }

    private RedisTransport publisherAndAdmin() {
        RedisTransport transport = RedisTransport.connect(redis.connection(), RedisQueueSettings.defaults("faults")
                .withKeyPrefix(PREFIX), new DomainEventsProcessor(new EventTypeRegistry()));
        transports.add(transport);
        return transport;
    }

    private long counter(String name, String orderId) {
        String value = raw.commands().get(PREFIX + ":test:" + name + ":" + orderId);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        if (process.isAlive()) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static ShipmentRequested shipment(String orderId) {
        return new ShipmentRequested(EventIds.newId(), Instant.now(), EventMetadata.EMPTY, orderId);
    }

    @Test
    void aWorkerKilledMidHandlerIsTakenOverAndTheSideEffectHappensOnce() throws Exception {
        Process doomed = startWorker(2_000, 60_000, TestLogs.file("doomed"));
        RedisTransport admin = publisherAndAdmin();
        admin.eventBus().publish(shipment("o-1"));
        await().atMost(WAIT).until(() -> counter("runs", "o-1") == 1);

        jvms.kill(doomed); // SIGKILL mid-handler: no shutdown hook, no acknowledgement
        startWorker(2_000, 0, TestLogs.file("rescuer"));

        QueueStats stats = await().atMost(WAIT).until(() -> admin.admin().stats(), s -> s.completed() == 1);
        assertEquals(1, counter("effects", "o-1"), "the side effect happened once");
        assertEquals(2, counter("runs", "o-1"), "the killed run and the rescuing run");
        assertEquals(1, stats.takeovers());
        assertEquals(0, stats.failedAttempts(), "a crash is not a failed attempt");
        assertEquals(0, stats.active());
        assertEquals(0, stats.reserved());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "worker clock {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"+10m", "-10m"})
    void retriesFireOnTheRedisClockWhateverTheWorkersClockSays(String skew) throws Exception {
        // The skewed worker fails the first attempt and schedules the retry; it and a worker with a true clock then
        // compete for the retry, so the gap below does not include a JVM's start. Were the due time taken from the
        // skewed clock, the retry would come at once (-10m) or 10 minutes late (+10m).
        startSkewedWorker(skew, "fail-first");
        RedisTransport admin = publisherAndAdmin();
        admin.eventBus().publish(shipment("o-1"));
        await().atMost(WAIT).until(() -> admin.admin().stats().retryScheduled() == 1);
        startWorker(30_000, 0, TestLogs.file("true-clock"));

        await().atMost(WAIT).until(() -> admin.admin().stats().completed() == 1);
        List<String> attempts = raw.commands().lrange(PREFIX + ":test:attempts:o-1", 0, -1);
        assertEquals(2, attempts.size());
        long gap = Long.parseLong(attempts.get(1)) - Long.parseLong(attempts.get(0));
        assertTrue(gap >= 490 && gap < 10_000, "the retry came " + gap + " ms after the failure on the Redis clock,"
                + " not 10 minutes early or late");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "worker clock {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"+10m", "-10m"})
    void aDelayedEventIsDeliveredWhenDueOnTheRedisClockWhateverTheWorkersClockSays(String skew) throws Exception {
        // The only worker runs on a skewed clock, so it is the one that releases the event. Were the due time taken
        // from its clock, the event would come at once (+10m) or 10 minutes late (-10m).
        startSkewedWorker(skew);
        RedisTransport admin = publisherAndAdmin();
        long publishedAt = redisMillis();
        admin.eventBus().publish(shipment("o-1"), PublishOptions.deliverAfter(Duration.ofSeconds(2)));

        await().atMost(WAIT).until(() -> admin.admin().stats().completed() == 1);
        List<String> attempts = raw.commands().lrange(PREFIX + ":test:attempts:o-1", 0, -1);
        assertEquals(1, attempts.size());
        long delay = Long.parseLong(attempts.get(0)) - publishedAt;
        assertTrue(delay >= 2_000 && delay < 60_000, "the event was handled " + delay + " ms after its publish on"
                + " the Redis clock, due 2,000 ms after it: not 10 minutes early or late");
    }

    /** Starts a worker JVM whose clock faketime skews by {@code skew} (such as {@code +10m}). */
    private void startSkewedWorker(String skew, String... more) throws IOException {
        Path faketime = Path.of("/usr/bin/faketime");
        assertTrue(Files.isExecutable(faketime), "this test skews a worker's clock with faketime:"
                + " apt-get install faketime (.ci/run installs it)");
        List<String> args = new ArrayList<>(List.of(Integer.toString(redis.port()), PREFIX, "30000", "0"));
        args.addAll(List.of(more));
        startJvm(List.of(faketime.toString(), "-f", skew), TestLogs.file("skewed"), WorkerProcess.class,
                args.toArray(String[]::new));
    }

    private long redisMillis() {
        List<String> time = raw.commands().time();
        return Long.parseLong(time.get(0)) * 1_000 + Long.parseLong(time.get(1)) / 1_000;
    }

    @Test
    void aRedisRestartedWithoutPersistenceIsReportedOnceAndTheWorkerConsumesAgain() throws Exception {
        Path log = TestLogs.file("worker");
        startWorker(30_000, 0, log);
        RedisTransport admin = publisherAndAdmin();
        admin.eventBus().publish(shipment("before"));
        await().atMost(WAIT).until(() -> counter("effects", "before") == 1);

        redis.kill();
        redis.restart(); // empty: the stream, the group and every record are gone
        raw.close();
        raw = RawRedis.to(redis.connection());
        await().atMost(WAIT).ignoreException(io.hexbus.api.publishing.EventPublishingException.class)
                .until(() -> admin.eventBus().publish(shipment("after")) != null);

        await().atMost(WAIT).until(() -> counter("effects", "after") == 1);
        await().atMost(WAIT).until(() -> read(log).contains("was missing (Redis restarted without persistence"));
        String output = read(log);
        long readComplaints = output.lines().filter(l -> l.contains(" cannot read: ")).count();
        assertTrue(readComplaints <= 2, "read failures are logged at a bounded rate, got " + readComplaints);
    }

    @Test
    void twoJvmsPublishingOneIdAtOnceWriteOneStreamEntry() throws Exception {
        String id = EventIds.newId().toString();
        Path firstLog = TestLogs.file("first");
        Path secondLog = TestLogs.file("second");
        Process first = startJvm(firstLog, PublisherProcess.class, Integer.toString(redis.port()), PREFIX, id);
        Process second = startJvm(secondLog, PublisherProcess.class, Integer.toString(redis.port()), PREFIX,
                id);

        raw.commands().set(PREFIX + ":test:go", "1");

        assertTrue(first.waitFor(60, TimeUnit.SECONDS) && second.waitFor(60, TimeUnit.SECONDS));
        await().atMost(WAIT).until(() -> read(firstLog).contains("OUTCOME")
                && read(secondLog).contains("OUTCOME")); // their output is copied by a thread
        String outcomes = read(firstLog) + read(secondLog);
        assertEquals(1, outcomes.split("OUTCOME PUBLISHED", -1).length - 1, outcomes);
        assertEquals(1, outcomes.split("OUTCOME DUPLICATE", -1).length - 1, outcomes);
        assertEquals(1, raw.commands().xlen(PREFIX + ":stream"));
    }

    @Test
    void aFrozenWorkerLosesItsLeaseAndItsAcknowledgementIsRefusedWhenItWakes() throws Exception {
        Path frozenLog = TestLogs.file("frozen");
        Process frozen = startWorker(1_500, 2_000, frozenLog);
        RedisTransport admin = publisherAndAdmin();
        admin.eventBus().publish(shipment("o-1"));
        await().atMost(WAIT).until(() -> counter("runs", "o-1") == 1);

        signal(frozen, "STOP"); // a long GC pause or a stopped container: no renewals, no progress
        startWorker(1_500, 0, TestLogs.file("rescuer"));
        await().atMost(WAIT).until(() -> admin.admin().stats().completed() == 1);
        signal(frozen, "CONT");

        await().atMost(WAIT).until(() -> read(frozenLog).contains("lost its lease"));
        QueueStats stats = admin.admin().stats();
        assertEquals(1, stats.completed(), "completed once: the woken worker's acknowledgement was refused");
        assertEquals(1, stats.takeovers());
        assertEquals(0, stats.active());
        assertEquals(0, stats.reserved());
        assertEquals(2, counter("runs", "o-1"));
    }

}
