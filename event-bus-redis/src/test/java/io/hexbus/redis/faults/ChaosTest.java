package io.hexbus.redis.faults;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.testing.ChildProcesses;
import io.hexbus.api.testing.TestLogs;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.faults.WorkerProcess.ShipmentRequested;
import io.hexbus.redis.testing.RawRedis;
import io.hexbus.redis.testing.RedisServerProcess;
import io.hexbus.redis.testing.TestRedis;
import io.lettuce.core.KillArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 20,000 events through 2 worker JVMs × 2 threads while a worker is killed (SIGKILL) every few seconds and
 * every client connection is cut every few seconds. Afterwards every event was handled by every subscription,
 * nothing is pending, nothing was dead-lettered, and Redis memory is back near where it started. Each worker JVM's
 * output goes to a file next to the test's log.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ChaosTest {

    private static final Logger log = LoggerFactory.getLogger(ChaosTest.class);
    private static final String PREFIX = "hexbus-chaos:{c}";
    private static final int EVENTS = 20_000;
    private static final Duration WAIT = Duration.ofMinutes(4);

    @Test
    void everyEventReachesEverySubscriptionThroughKilledWorkersAndCutConnections() throws Exception {
        try (RedisServerProcess redis = TestRedis.startPrivate();
             RawRedis raw = RawRedis.to(redis.connection());
             RedisTransport publisher = RedisTransport.connect(redis.connection(), RedisQueueSettings.defaults("faults")
                     .withKeyPrefix(PREFIX).withKeepFinished(100, Duration.ofSeconds(1))
                     .withDedupeWindow(Duration.ofSeconds(5)), new DomainEventsProcessor(new EventTypeRegistry()));
             ChildProcesses children = new ChildProcesses()) { // closed first: the workers stop before their Redis
            long memoryBefore = usedMemory(raw);
            Process[] workers = {startWorker(children, redis), startWorker(children, redis)};
            Set<String> published = new HashSet<>();
            long lastKill = System.nanoTime();
            long lastCut = System.nanoTime();
            int kills = 0;
            int cuts = 0;

            for (int batch = 0; batch < EVENTS / 100; batch++) {
                List<ShipmentRequested> events = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    events.add(new ShipmentRequested(EventIds.newId(), Instant.now(), EventMetadata.EMPTY,
                            "o-" + (batch * 100 + i)));
                }
                // A publish cut off may or may not have been written; repeating it is safe (same ids).
                await().atMost(WAIT).ignoreException(EventPublishingException.class)
                        .until(() -> publisher.eventBus().publishAll(events) != null);
                events.forEach(e -> published.add(e.orderId()));
                if (System.nanoTime() - lastKill > TimeUnit.SECONDS.toNanos(3)) {
                    int victim = kills++ % 2;
                    children.kill(workers[victim]);
                    workers[victim] = startWorker(children, redis);
                    lastKill = System.nanoTime();
                }
                if (System.nanoTime() - lastCut > TimeUnit.SECONDS.toNanos(2)) {
                    raw.commands().clientKill(KillArgs.Builder.typeNormal().skipme(true));
                    cuts++;
                    lastCut = System.nanoTime();
                }
            }
            log.info("Published {} events; killed a worker {} times and cut every connection {} times",
                    published.size(), kills, cuts);

            for (String subscription : List.of("chaos.ship", "chaos.bill")) {
                String key = PREFIX + ":test:handled:" + subscription;
                await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> raw.commands().scard(key) == EVENTS);
                assertEquals(published, raw.commands().smembers(key), subscription + ": set difference empty");
            }
            QueueStats stats = await().atMost(WAIT).until(() -> publisher.admin().stats(),
                    s -> s.waiting() == 0 && s.active() == 0 && s.reserved() == 0 && s.retryScheduled() == 0);
            assertEquals(0, stats.deadLettered());
            assertEquals(0, stats.failedAttempts(), "a crash or a cut connection is not a failed attempt");
            long runs = Long.parseLong(raw.commands().get(PREFIX + ":test:runs"));
            log.info("Handler runs: {} for {} deliveries owed ({} re-runs after kills); {} takeovers", runs,
                    2L * EVENTS, runs - 2L * EVENTS, stats.takeovers());
            assertTrue(runs >= 2L * EVENTS);

            // Memory: the test's own records go; the stream is trimmed and dedupe records expire.
            raw.commands().del(PREFIX + ":test:handled:chaos.ship", PREFIX + ":test:handled:chaos.bill",
                    PREFIX + ":test:runs");
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> usedMemory(raw) <= memoryBefore * 1.10 + 1024 * 1024);
        }
    }

    private static Process startWorker(ChildProcesses children, RedisServerProcess redis) throws IOException {
        return children.start(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", System.getProperty("java.class.path"), "-Dchaos=true", WorkerProcess.class.getName(),
                Integer.toString(redis.port()), PREFIX, "2000", "0").redirectErrorStream(true)
                .redirectOutput(TestLogs.file("worker").toFile()));
    }

    private static long usedMemory(RawRedis raw) {
        return raw.commands().info("memory").lines().filter(l -> l.startsWith("used_memory:")).findFirst()
                .map(l -> Long.parseLong(l.substring("used_memory:".length()).trim())).orElseThrow();
    }
}
