package io.hexbus.redis;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.redis.testing.RawRedis;
import io.hexbus.redis.testing.RedisServerProcess;
import io.hexbus.redis.testing.TestRedis;
import io.lettuce.core.AclSetuserArgs;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write that records a round's outcome (a retry or a dead letter) fails: the subscription that already
 * succeeded in that round must not run again, and the failing one is still retried and dead-lettered. Each
 * test runs its own redis-server.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SettleWriteFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int EVENTS = 5;
    private static final String GROUP = "settle";

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final Map<String, AtomicInteger> steadyRuns = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> flakyRuns = new ConcurrentHashMap<>();
    @AutoClose
    private final Resources resources = new Resources();
    private final Semaphore steadyStarted = new Semaphore(0);
    private final CountDownLatch steadyMayFinish = new CountDownLatch(1);

    SettleWriteFailureTest() {
        processor.register(OrderPlaced.class, "steady", (OrderPlaced e) -> {
            steadyStarted.release();
            steadyMayFinish.await();
            steadyRuns.computeIfAbsent(e.orderId(), k -> new AtomicInteger()).incrementAndGet();
        });
        processor.register(OrderPlaced.class, "flaky", (OrderPlaced e) -> {
            int attempt = flakyRuns.computeIfAbsent(e.orderId(), k -> new AtomicInteger()).incrementAndGet();
            throw new IllegalStateException("flaky fails, attempt " + attempt);
        }, SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(100))));
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    /** A transport logged in as the ACL user "worker", allowed everything until a test narrows or disables it. */
    private RedisTransport connectAsWorkerUser(RedisServerProcess server, RawRedis raw, RedisQueueSettings settings) {
        raw.commands().aclSetuser("worker", AclSetuserArgs.Builder.on().addPassword("worker-secret").allKeys()
                .allChannels().allCommands());
        return RedisTransport.connect(new RedisConnectionSettings("127.0.0.1", server.port(), false, "worker",
                "worker-secret", 0), settings, processor);
    }

    private static RedisQueueSettings settings() {
        // A short lease: a round dropped on a failed write would be taken over, and run again, within a second.
        // Slots for every event at once, so that each one's first round settles while the writes are refused.
        return RedisQueueSettings.defaults(GROUP).withVisibilityTimeout(Duration.ofSeconds(1))
                .withConcurrency(EVENTS);
    }

    private List<OrderPlaced> publish(RedisTransport transport) {
        List<OrderPlaced> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(OrderPlaced.of("o-" + i));
        }
        transport.eventBus().publishAll(events);
        return events;
    }

    /** Every event dead-lettered for "flaky" after its 3 attempts; "steady" ran once per event, no more. */
    private void assertSteadyRanOnceAndFlakyWasDeadLettered(RedisTransport transport, List<OrderPlaced> events) {
        QueueStats stats = await().atMost(WAIT).ignoreException(RedisUnavailableException.class)
                .until(() -> transport.admin().stats(),
                s -> s.deadLettered() == EVENTS && s.active() == 0 && s.retryScheduled() == 0);
        for (OrderPlaced event : events) {
            assertEquals(1, steadyRuns.get(event.orderId()).get(), event.orderId() + ": steady succeeded once, and"
                    + " a failed write of the round's outcome must not run it again");
            assertEquals(3, flakyRuns.get(event.orderId()).get(), event.orderId() + ": the first attempt and 2 retries");
            DeadLetter dead = transport.admin().deadLetter(event.eventId()).orElseThrow();
            assertEquals(List.of("flaky"), dead.failedSubscriptions());
            assertEquals(3, dead.attempts());
        }
        assertEquals(0, stats.completed());
    }

    @Test
    void aRefusedRetryWriteIsRetriedWhileTheEntryIsHeldAndTheSucceededSubscriptionRunsOnce() {
        RedisServerProcess server = keep(TestRedis.startPrivate());
        RawRedis raw = keep(RawRedis.to(server.connection()));
        RedisTransport transport = keep(connectAsWorkerUser(server, raw, settings()));
        steadyMayFinish.countDown();
        transport.startWorker();
        // Redis now refuses the worker every progress key: each reschedule-4.lua (and dead-letter-6.lua) call is
        // refused whole, before it runs; reading, renewing and publishing still work.
        String prefix = RedisQueueSettings.DEFAULT_PREFIX;
        raw.commands().aclSetuser("worker", AclSetuserArgs.Builder.resetKeys().keyPattern(prefix + ":stream")
                .keyPattern(prefix + ":stats").keyPattern(prefix + ":dedupe:*").keyPattern(prefix + ":scheduled*")
                .keyPattern(prefix + ":g:" + GROUP
                        + ":redeliver").keyPattern(prefix + ":g:" + GROUP + ":retry").keyPattern(prefix + ":g:"
                        + GROUP + ":stats").keyPattern(prefix + ":g:" + GROUP + ":dlq*"));

        List<OrderPlaced> events = publish(transport);
        // Wait until the outcome of every event's first round was refused at least once ...
        await().atMost(WAIT).until(() -> refusedProgressKeys(raw).size() == EVENTS);
        // ... and then for a lease's worth of renewals: a round dropped on the failed write would be taken over.
        Set<String> refused = refusedProgressKeys(raw);
        await().atMost(WAIT).until(() -> refusedCount(raw) >= 3 * EVENTS);
        raw.commands().aclSetuser("worker", AclSetuserArgs.Builder.allKeys());

        assertSteadyRanOnceAndFlakyWasDeadLettered(transport, events);
        assertEquals(EVENTS, refused.size());
        assertEquals(0, transport.admin().stats().takeovers(), "held all along: never taken over");
    }

    @Test
    void aConnectionCutWhileTheRoundRunsDelaysItsRetryWriteAndTheSucceededSubscriptionRunsOnce() throws Exception {
        RedisServerProcess server = keep(TestRedis.startPrivate());
        RawRedis raw = keep(RawRedis.to(server.connection()));
        RedisTransport transport = keep(connectAsWorkerUser(server, raw, settings()));
        transport.startWorker();
        List<OrderPlaced> events = publish(transport);
        assertTrue(steadyStarted.tryAcquire(EVENTS, 30, TimeUnit.SECONDS), "every event's round has begun");

        // Cut the worker off: its connections are killed, and it cannot log in again until the user is back on,
        // so the writes that record the rounds' outcomes fail (rejected while disconnected, or timed out).
        raw.commands().aclSetuser("worker", AclSetuserArgs.Builder.off());
        raw.commands().clientKill(io.lettuce.core.KillArgs.Builder.user("worker"));
        await().atMost(WAIT).until(() -> failedLogins(raw) >= 1);
        steadyMayFinish.countDown();
        await().atMost(WAIT).until(() -> flakyRuns.size() == EVENTS);
        // A lease's worth of failed reconnects: a round dropped on the failed write would be taken over meanwhile.
        long seen = failedLogins(raw);
        await().atMost(WAIT).until(() -> failedLogins(raw) >= seen + 3);
        raw.commands().aclSetuser("worker", AclSetuserArgs.Builder.on());

        assertSteadyRanOnceAndFlakyWasDeadLettered(transport, events);
    }

    @Test
    void aWorkerStillUnableToRecordAnOutcomeAtItsShutdownDeadlineLeavesTheEntryPendingAndStops() throws Exception {
        RedisServerProcess server = keep(TestRedis.startPrivate());
        RawRedis raw = keep(RawRedis.to(server.connection()));
        steadyMayFinish.countDown();
        RedisTransport transport = connectAsWorkerUser(server, raw,
                settings().withShutdownDeadline(Duration.ofSeconds(1)));
        transport.startWorker();
        raw.commands().aclSetuser("worker", AclSetuserArgs.Builder.resetKeys()
                .keyPattern(RedisQueueSettings.DEFAULT_PREFIX + ":stream").keyPattern(RedisQueueSettings.DEFAULT_PREFIX
                        + ":stats").keyPattern(RedisQueueSettings.DEFAULT_PREFIX + ":dedupe:*")
                .keyPattern(RedisQueueSettings.DEFAULT_PREFIX + ":scheduled*"));
        OrderPlaced event = OrderPlaced.of("o-stuck");
        transport.eventBus().publish(event);
        await().atMost(WAIT).until(() -> refusedProgressKeys(raw).size() == 1);

        assertTimeoutPreemptively(Duration.ofSeconds(30), transport::close);

        assertEquals(1, raw.commands().xpending(RedisQueueSettings.DEFAULT_PREFIX + ":stream", GROUP).getCount(),
                "left pending for the worker that takes it over");
        assertEquals(1, steadyRuns.get(event.orderId()).get());
    }

    @Test
    void aFullRedisStillRecordsTheRetriesAndDeadLettersOfHandlersThatRan() throws InterruptedException {
        RedisServerProcess server = keep(TestRedis.startPrivate("--maxmemory-policy", "noeviction"));
        RawRedis raw = keep(RawRedis.to(server.connection()));
        RedisTransport transport = keep(RedisTransport.connect(server.connection(), settings(), processor));
        transport.startWorker();
        List<OrderPlaced> events = publish(transport);
        assertTrue(steadyStarted.tryAcquire(EVENTS, 30, TimeUnit.SECONDS), "every event's round has begun");

        // Full: Redis refuses every write command that may grow memory, unless it comes after a write in a script.
        raw.commands().configSet("maxmemory", "1");
        steadyMayFinish.countDown();

        assertSteadyRanOnceAndFlakyWasDeadLettered(transport, events);
    }

    /** The progress keys whose use ACL refused the worker (ACL LOG), by name. */
    private static Set<String> refusedProgressKeys(RawRedis raw) {
        return aclLog(raw).stream().filter(entry -> String.valueOf(entry.get("object")).contains(":progress:"))
                .map(entry -> String.valueOf(entry.get("object"))).collect(Collectors.toSet());
    }

    private static long refusedCount(RawRedis raw) {
        return aclLog(raw).stream().filter(entry -> String.valueOf(entry.get("object")).contains(":progress:"))
                .mapToLong(entry -> ((Number) entry.get("count")).longValue()).sum();
    }

    /** How many times the worker user failed to log in (ACL LOG, reason "auth"). */
    private static long failedLogins(RawRedis raw) {
        return aclLog(raw).stream().filter(entry -> "auth".equals(String.valueOf(entry.get("reason"))))
                .mapToLong(entry -> ((Number) entry.get("count")).longValue()).sum();
    }

    private static List<Map<String, Object>> aclLog(RawRedis raw) {
        return raw.commands().aclLog();
    }
}
