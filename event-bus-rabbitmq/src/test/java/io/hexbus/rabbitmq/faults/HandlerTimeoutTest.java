package io.hexbus.rabbitmq.faults;

import io.hexbus.api.testing.faults.ParcelSent;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.rabbitmq.RabbitTransport;
import io.hexbus.rabbitmq.testing.TestRabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A handler past its timeout that ignores the interrupt, on the shared test RabbitMQ: the queued contract proves the
 * timeout on a handler that ignores its interrupt and, separately, that the rest of a timed-out round runs; here both
 * at once, with the subscription after the stuck one on the same event and one handler slot. While the stuck thread
 * still hangs, the rest of its round, the later messages of the work queue and its retry (through the 1 s retry tier
 * and the due queue) all run; the retry runs the timed-out subscription alone.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HandlerTimeoutTest {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerTimeoutTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final FaultQueue queue = FaultQueue.create(TestRabbit.url(), Duration.ofSeconds(5));
    private final CountDownLatch release = new CountDownLatch(1);
    private RabbitTransport transport;

    @AfterEach
    void stopEverything() throws Exception {
        release.countDown();
        try {
            if (transport != null) {
                transport.close();
            }
        } finally {
            queue.delete();
        }
    }

    @Test
    void aHandlerIgnoringItsTimeoutsInterruptIsRetriedAloneWhileItsRoundAndTheQueueGoOn() {
        DomainEventsProcessor processor = FaultQueue.processor();
        Map<Integer, AtomicInteger> stuckRuns = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> auditRuns = new ConcurrentHashMap<>();
        AtomicBoolean hanging = new AtomicBoolean();
        processor.register(ParcelSent.class, "stuck-once", (ParcelSent e) -> {
            if (count(stuckRuns, e.number()) == 1 && e.number() == 1) {
                hanging.set(true);
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        // the point: a handler that ignores its interrupt, which only the timeout frees the slot of
                    }
                }
                hanging.set(false);
            }
        }, SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(100)))
                .withTimeout(Duration.ofMillis(300)));
        processor.register(ParcelSent.class, "audit", (ParcelSent e) -> count(auditRuns, e.number()));
        transport = queue.connect(processor, 1);
        transport.startWorker();

        for (int number = 1; number <= 5; number++) {
            transport.eventBus().publish(ParcelSent.numbered(number));
        }

        QueueStats stats = await().atMost(WAIT).until(() -> transport.admin().stats(),
                s -> s.completed() == 5 && s.waiting() == 0 && s.retryScheduled() == 0);
        LOG.info("Stuck runs {}, audit runs {}: {}; lost 0, repeated 0, pending {}", snapshot(stuckRuns),
                snapshot(auditRuns), stats, stats.waiting() + stats.retryScheduled());
        assertTrue(hanging.get(), "the first run still hangs: the slot and the queue went on without it");
        assertEquals(Map.of(1, 2, 2, 1, 3, 1, 4, 1, 5, 1), snapshot(stuckRuns), "timed out once, retried once");
        assertEquals(Map.of(1, 1, 2, 1, 3, 1, 4, 1, 5, 1), snapshot(auditRuns),
                "the subscription after the stuck one ran in the same round, once per event, not again by the retry");
        assertEquals(1, stats.failedAttempts(), "the timed-out attempt");
        assertEquals(0, stats.deadLettered());
    }

    private static int count(Map<Integer, AtomicInteger> runs, int number) {
        return runs.computeIfAbsent(number, n -> new AtomicInteger()).incrementAndGet();
    }

    private static Map<Integer, Integer> snapshot(Map<Integer, AtomicInteger> runs) {
        return runs.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
    }
}
