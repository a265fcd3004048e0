package io.hexbus.redis;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.handling.NonRetryableException;
import io.hexbus.redis.testing.RedisTestTransport;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import javax.net.ssl.SSLSocketFactory;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link QueueAdmin#retryAll()} and {@link QueueAdmin#remove(UUID)} on a real Redis, with a worker running. */
class DeadLetterAdminTest extends RedisTransportTestBase {

    private static final int DEAD_LETTERS = 2_000;

    private final Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();

    /** A worker whose only subscription refuses every event for good: each run ends as a dead letter. */
    private RedisTestTransport alwaysDeadLettering() {
        RedisTestTransport redis = transport();
        processor.register(OrderPlaced.class, "rejects", (OrderPlaced e) -> {
            runs.computeIfAbsent(e.eventId(), id -> new AtomicInteger()).incrementAndGet();
            throw new NonRetryableException("still broken");
        });
        redis.startWorker();
        return redis;
    }

    private List<OrderPlaced> deadLettered(RedisTestTransport redis, int count) {
        List<OrderPlaced> events = IntStream.range(0, count).mapToObj(i -> OrderPlaced.of("o-" + i)).toList();
        for (int from = 0; from < count; from += 500) {
            redis.transport().eventBus().publishAll(events.subList(from, Math.min(count, from + 500)));
        }
        awaitStats(redis, s -> s.deadLettered() == count);
        redis.awaitIdle(WAIT);
        return events;
    }

    private int totalRuns() {
        return runs.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Test
    void retryAllRedeliversEachDeadLetterThatExistedWhenItStartedExactlyOnce() {
        RedisTestTransport redis = alwaysDeadLettering();
        List<OrderPlaced> events = deadLettered(redis, DEAD_LETTERS);
        assertEquals(DEAD_LETTERS, totalRuns(), "test setup: each event ran once and was dead-lettered");

        // The worker keeps running: redeliveries fail again and are dead-lettered again while the call goes on.
        int retried = redis.transport().admin().retryAll();

        assertEquals(DEAD_LETTERS, retried);
        await().atMost(WAIT).until(() -> totalRuns() >= 2 * DEAD_LETTERS);
        awaitStats(redis, s -> s.deadLettered() == DEAD_LETTERS && s.waiting() == 0);
        redis.awaitIdle(WAIT);
        for (OrderPlaced event : events) {
            assertEquals(2, runs.get(event.eventId()).get(), () -> event.eventId() + " ran once before retryAll,"
                    + " and once for it");
        }
        assertEquals(2 * DEAD_LETTERS, totalRuns());
        assertEquals(List.of(), scan(redis, redis.settings().keyPrefix() + ":g:*:dlq-retry-all:*"),
                "the run's copy of the index is gone");
    }

    @Test
    void retryAllWithNoDeadLettersRetriesNothing() {
        RedisTestTransport redis = alwaysDeadLettering();

        assertEquals(0, redis.transport().admin().retryAll());
        assertEquals(List.of(), scan(redis, redis.settings().keyPrefix() + ":g:*:dlq-retry-all:*"));
    }

    @Test
    void removeDeletesTheDeadLetterAndItsIndexEntryAndReportsAMissingOneAsFalse() {
        RedisTestTransport redis = alwaysDeadLettering();
        UUID id = deadLettered(redis, 1).get(0).eventId();
        Keys keys = new Keys(redis.settings().keyPrefix(), redis.settings().group());
        assertTrue(redis.raw().exists(keys.deadLetter(id.toString())) == 1, "test setup: the dead letter exists");

        assertTrue(redis.transport().admin().remove(id));

        assertEquals(0, redis.raw().exists(keys.deadLetter(id.toString())));
        assertNull(redis.raw().zscore(keys.deadLetterIndex(), id.toString()));
        assertEquals("0", redis.raw().hget(keys.groupStats(), "deadLettered"));
        assertEquals(0, redis.transport().admin().stats().deadLettered());
        assertFalse(redis.transport().admin().remove(id), "already removed");
        assertFalse(redis.transport().admin().remove(UUID.randomUUID()), "never dead-lettered");
    }

    @Test
    void removeClearsAnIndexEntryWhoseDeadLetterHasExpiredAndReportsThatThereWasNoDeadLetter() {
        RedisTestTransport redis = transport();
        Keys keys = new Keys(redis.settings().keyPrefix(), redis.settings().group());
        UUID stale = UUID.randomUUID();
        redis.raw().zadd(keys.deadLetterIndex(), 1, stale.toString());

        assertFalse(redis.transport().admin().remove(stale), "an expired dead letter is not there to remove");

        assertNull(redis.raw().zscore(keys.deadLetterIndex(), stale.toString()));
    }

    @Test
    void removeWritesOnlyFromInsideOneScript() throws Exception {
        RedisTestTransport redis = alwaysDeadLettering();
        UUID id = deadLettered(redis, 1).get(0).eventId();
        String deadLetterKey = new Keys(redis.settings().keyPrefix(), redis.settings().group()).deadLetter(id.toString());

        // The first call of a script on a server sends EVALSHA, then EVAL on NOSCRIPT: cache it first, so the
        // monitored call is the one script call that every later remove is.
        assertFalse(redis.transport().admin().remove(UUID.randomUUID()));
        List<String> seen;
        try (Monitor monitor = Monitor.start()) {
            assertTrue(redis.transport().admin().remove(id));
            await().atMost(WAIT).until(() -> monitor.lines().stream().anyMatch(l -> l.contains("\"" + deadLetterKey + "\"")
                    && l.contains("\"DEL\"")));
            seen = monitor.lines().stream().filter(l -> l.contains(id.toString())).toList();
        }

        List<String> outsideScripts = seen.stream().filter(l -> !l.contains(" lua] ")).toList();
        assertEquals(1, outsideScripts.size(), () -> "one call from the client, the rest inside it: " + seen);
        assertTrue(outsideScripts.get(0).contains("\"" + Script.REMOVE_DEAD_LETTER.digest() + "\"")
                || outsideScripts.get(0).toLowerCase().contains("\"eval\""), outsideScripts::toString);
        for (String write : List.of("\"ZREM\"", "\"DEL\"")) {
            assertTrue(seen.stream().anyMatch(l -> l.contains(" lua] ") && l.contains(write)), () -> write + " in " + seen);
        }
    }

    private static List<String> scan(RedisTestTransport redis, String pattern) {
        List<String> found = new ArrayList<>();
        io.lettuce.core.ScanIterator.scan(redis.raw(), io.lettuce.core.ScanArgs.Builder.matches(
                pattern.replace("{", "\\{").replace("}", "\\}")).limit(500)).forEachRemaining(found::add);
        return found;
    }

    /** A MONITOR session on the test Redis: every command it runs, scripts' own calls marked {@code [n lua]}. */
    private static final class Monitor implements AutoCloseable {

        private final Socket socket;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread reader;

        private Monitor(Socket socket) throws IOException {
            this.socket = socket;
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            RedisConnectionSettings settings = TestRedis.shared();
            if (settings.password() != null) {
                send(out, settings.username() != null ? List.of("AUTH", settings.username(), settings.password())
                        : List.of("AUTH", settings.password()));
                expectOk(in);
            }
            send(out, List.of("MONITOR"));
            expectOk(in);
            this.reader = new Thread(() -> {
                try {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException closed) {
                    // the session ended
                }
            }, "redis-monitor");
            reader.setDaemon(true);
            reader.start();
        }

        static Monitor start() throws IOException {
            RedisConnectionSettings settings = TestRedis.shared();
            Socket socket = settings.tls() ? SSLSocketFactory.getDefault().createSocket(settings.host(), settings.port())
                    : new Socket(settings.host(), settings.port());
            return new Monitor(socket);
        }

        List<String> lines() {
            return lines;
        }

        private static void send(OutputStream out, List<String> command) throws IOException {
            StringBuilder resp = new StringBuilder("*" + command.size() + "\r\n");
            for (String part : command) {
                resp.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part)
                        .append("\r\n");
            }
            out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private static void expectOk(BufferedReader in) throws IOException {
            String reply = in.readLine();
            if (!"+OK".equals(reply)) {
                throw new IOException("Redis answered " + reply);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
