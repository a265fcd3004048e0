package io.hexbus.redis.faults;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.testing.ChildJvms;
import io.hexbus.api.testing.ChildProcesses;
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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rate limit holds across worker processes: two worker JVMs of one group on a private Redis share one
 * subscription limited to 5 runs per second, and no second of the Redis clock holds more than 5 runs.
 *
 * <p>A run starts when its permit is taken: the permits' times are what the limit bounds, and they are read off the
 * server as it takes them ({@code redis-cli monitor} shows each {@code ZADD} of {@code acquire-permit-1.lua}, with its
 * Redis time as the score). The time a handler reads itself ({@code TIME}, first thing in the handler) comes a moment
 * later, and that moment is unbounded on a loaded machine: a worker stalled for 600 ms between its permit and its
 * {@code TIME} made a window of handler-read times hold 6. So the window is checked on the permits, and the handlers'
 * times are tied to them soundly: there is one permit per run, and the k-th handler start is no earlier than the
 * k-th permit.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RateLimitAcrossProcessesTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PREFIX = "hexbus-rate:{w}";
    private static final int RUNS = 5;
    private static final long PER_MILLIS = 1_000;
    private static final int EVENTS = 20;

    private RedisServerProcess redis;
    private RawRedis raw;
    private RedisTransport publisher;
    private final ChildProcesses children = new ChildProcesses(); // the monitor
    private final ChildJvms jvms = new ChildJvms();

    @BeforeEach
    void startRedis() {
        redis = TestRedis.startPrivate();
        raw = RawRedis.to(redis.connection());
    }

    @AfterEach
    void stopEverything() {
        try {
            try {
                jvms.close();
            } finally {
                children.close();
            }
        } finally {
            if (publisher != null) {
                publisher.close();
            }
            raw.close();
            redis.close();
        }
    }

    @Test
    void noWindowOfTheRedisClockHoldsMoreRunsThanTheLimitAcrossTwoWorkerProcesses() throws Exception {
        List<Long> permits = monitorPermits(PREFIX + ":g:rate-limited:rate:call-carrier", TestLogs.file("monitor"));
        // 100 ms of work per run with one slot each: while one process works, the other takes the next event.
        startWorker("A", TestLogs.file("worker-A"));
        startWorker("B", TestLogs.file("worker-B"));
        publisher = RedisTransport.connect(redis.connection(), RedisQueueSettings.defaults("rate-limited")
                .withKeyPrefix(PREFIX), new DomainEventsProcessor(new EventTypeRegistry()));

        for (int i = 0; i < EVENTS; i++) {
            publisher.eventBus().publish(new ShipmentRequested(EventIds.newId(), Instant.now(), EventMetadata.EMPTY,
                    "o-" + i));
        }

        QueueStats stats = await().atMost(WAIT).until(() -> publisher.admin().stats(), s -> s.completed() == EVENTS);
        List<String[]> starts = raw.commands().lrange(PREFIX + ":test:starts", 0, -1).stream()
                .map(line -> line.split(" ")).toList();
        Map<String, Long> runsPerOrder = starts.stream().collect(Collectors.groupingBy(s -> s[2],
                Collectors.counting()));
        assertEquals(EVENTS, starts.size(), "one run per event: " + runsPerOrder);
        assertEquals(EVENTS, runsPerOrder.size(), "every event ran once: " + runsPerOrder);
        assertEquals(0, stats.failedAttempts(), "waiting for a permit is not a failed attempt");
        assertEquals(0, stats.deadLettered());
        Map<String, Long> perProcess = starts.stream().collect(Collectors.groupingBy(s -> s[1],
                Collectors.counting()));
        assertTrue(perProcess.getOrDefault("A", 0L) >= 1 && perProcess.getOrDefault("B", 0L) >= 1,
                "both processes ran handlers: " + perProcess);
        await().atMost(WAIT).until(() -> permits.size() >= EVENTS); // the monitor's feed may trail the handlers'
        List<Long> permitMicros = permits.stream().sorted().toList();
        assertEquals(EVENTS, permitMicros.size(), "one permit per run: " + permitMicros);
        for (int i = 0; i + RUNS < permitMicros.size(); i++) {
            long span = permitMicros.get(i + RUNS) - permitMicros.get(i);
            assertTrue(span >= PER_MILLIS * 1_000, (RUNS + 1) + " permits within " + span + " µs of the Redis clock,"
                    + " from permit " + i + ": " + permitMicros);
        }
        List<Long> startMicros = starts.stream().map(s -> Long.parseLong(s[0])).sorted().toList();
        for (int k = 0; k < EVENTS; k++) {
            assertTrue(startMicros.get(k) >= permitMicros.get(k), "handler start " + k + " at " + startMicros.get(k)
                    + " µs is earlier than permit " + k + " at " + permitMicros.get(k) + ": a run without a permit");
        }
    }

    /**
     * Starts {@code redis-cli monitor} on the private Redis and collects, as they come, the scores of the
     * {@code ZADD}s that scripts make on {@code key}: the Redis times, in µs, of the permits taken.
     */
    private List<Long> monitorPermits(String key, Path log) throws IOException {
        Process monitor = children.start(new ProcessBuilder("redis-cli", "-p", Integer.toString(redis.port()),
                "monitor").redirectErrorStream(true));
        BufferedReader out = new BufferedReader(new InputStreamReader(monitor.getInputStream(),
                StandardCharsets.UTF_8));
        String first = out.readLine();
        assertEquals("OK", first, "redis-cli monitor started");
        Pattern zadd = Pattern.compile("^\\d+\\.\\d+ \\[\\d+ lua] \"ZADD\" \"" + Pattern.quote(key)
                + "\" \"(\\d+)\" .*");
        List<Long> permits = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher permit = zadd.matcher(line);
                    if (permit.matches()) {
                        permits.add(Long.parseLong(permit.group(1)));
                        append(log, line);
                    }
                }
            } catch (IOException ended) {
                // the monitor is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        return permits;
    }

    /** Starts a worker JVM on the test classpath and waits until it prints READY; its output goes to log. */
    private void startWorker(String tag, Path log) throws IOException {
        jvms.start(log, List.of(), RateLimitedWorkerProcess.class, List.of(Integer.toString(redis.port()), PREFIX,
                Integer.toString(RUNS), Long.toString(PER_MILLIS), "100", tag));
    }

    private static void append(Path log, String line) throws IOException {
        Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
