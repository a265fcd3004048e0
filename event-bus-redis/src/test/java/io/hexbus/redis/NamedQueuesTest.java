package io.hexbus.redis;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.NonRetryable;
import io.hexbus.api.handling.RateLimit;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.api.publishing.BatchSpansQueuesException;
import io.hexbus.api.publishing.PublishOptions;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.redis.testing.RedisTestTransport;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Named queues on Redis: routing, one stream per queue, workers over strict and weighted sets, the summed admin. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NamedQueuesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry()
            .register(OrderPlaced.class).register(ReportRequested.class));
    private final List<RedisTestTransport> transports = new ArrayList<>();

    private RedisTestTransport transport(Map<String, String> routes) {
        RedisTestTransport transport = RedisTestTransport.connect(TestRedis.shared(),
                RedisTestTransport.testSettings().withRoutes(routes), processor);
        transports.add(transport);
        return transport;
    }

    @AfterEach
    void closeTransports() {
        transports.forEach(RedisTestTransport::close);
    }

    @Test
    void aFloodOnALowPriorityQueueDelaysAHighPriorityEventByAtMostOneHandlerPerSlot() {
        int slots = 2;
        RedisTestTransport redis = transport(Map.of(OrderPlaced.NAME, "high", ReportRequested.NAME, "low"));
        Semaphore lowMayFinish = new Semaphore(0);
        AtomicInteger lowStarted = new AtomicInteger();
        AtomicInteger lowStartedWhenHighStarted = new AtomicInteger(-1);
        processor.register(ReportRequested.class, "slow-export", event -> {
            lowStarted.incrementAndGet();
            lowMayFinish.acquireUninterruptibly();
        });
        processor.register(OrderPlaced.class, "password-reset-mail", event -> lowStartedWhenHighStarted.set(
                lowStarted.get()));
        redis.transport().eventBus().publishAll(IntStream.range(0, 200).mapToObj(ReportRequested::of).toList());
        redis.transport().startWorker(WorkerQueues.strict(List.of("high", "low"), slots));
        await().atMost(WAIT).until(() -> lowStarted.get() == slots); // every slot busy with the flood

        int lowStartedAtPublish = lowStarted.get();
        redis.transport().eventBus().publish(OrderPlaced.of("urgent"));
        try {
            // Free one slot at a time, each once a handler started in the slot before: the high event must take one.
            for (int freed = 0; freed < 20 && lowStartedWhenHighStarted.get() < 0; freed++) {
                int startsBefore = lowStarted.get();
                lowMayFinish.release();
                await().atMost(WAIT).until(() -> lowStarted.get() > startsBefore
                        || lowStartedWhenHighStarted.get() >= 0);
            }
            assertTrue(lowStartedWhenHighStarted.get() >= 0, "the high-priority event's handler started");
            int lowStartedAfterPublish = lowStartedWhenHighStarted.get() - lowStartedAtPublish;
            assertTrue(lowStartedAfterPublish <= slots, lowStartedAfterPublish + " flood handlers started after the"
                    + " high-priority event was published, more than one per slot (" + slots + ")");
        } finally {
            lowMayFinish.release(1_000);
        }
    }

    @Test
    void aWeightedWorkerMakesProgressOnEveryQueue() {
        RedisTestTransport redis = transport(Map.of(OrderPlaced.NAME, "a", ReportRequested.NAME, "b"));
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        processor.register(OrderPlaced.class, "on-a", event -> handled.add("a"));
        processor.register(ReportRequested.class, "on-b", event -> handled.add("b"));
        redis.transport().eventBus().publishAll(IntStream.range(0, 60).mapToObj(i -> OrderPlaced.of("o-" + i))
                .toList());
        redis.transport().eventBus().publishAll(IntStream.range(0, 60).mapToObj(ReportRequested::of).toList());
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("a", 3);
        weights.put("b", 1);

        redis.transport().startWorker(WorkerQueues.weighted(weights, 1));

        await().atMost(WAIT).until(() -> handled.size() == 120);
        List<String> order = List.copyOf(handled);
        // Strictly ordered, every a would come before the first b; weighted, b is read first a quarter of the time.
        assertTrue(order.indexOf("b") < order.lastIndexOf("a"), "queue b progressed while a still had events");
        await().atMost(WAIT).until(() -> redis.transport().admin().stats().completed() == 120);
        assertEquals(60, redis.transport().admin("b").stats().completed());
    }

    @Test
    void eachQueueIsAStreamOfItsOwnUnderItsOwnHashTagAndTheDefaultQueueKeepsThePrefix() {
        RedisTestTransport redis = transport(Map.of(ReportRequested.NAME, "export"));
        String prefix = redis.settings().keyPrefix();

        redis.transport().eventBus().publish(OrderPlaced.of("o-1"));
        redis.transport().eventBus().publish(ReportRequested.of(1));

        assertEquals(1, redis.raw().xlen(prefix + ":stream"), "the default queue's stream is where it always was");
        String exportPrefix = prefix.substring(0, prefix.length() - 1) + ".export}";
        assertEquals(exportPrefix, QueueNames.prefixOf(prefix, "export"));
        assertEquals(1, redis.raw().xlen(exportPrefix + ":stream"));
    }

    @Test
    void aBatchRoutedToSeveralQueuesIsRefusedWholeNamingThem() {
        RedisTestTransport redis = transport(Map.of(ReportRequested.NAME, "export"));

        BatchSpansQueuesException refused = assertThrows(BatchSpansQueuesException.class, () -> redis.transport()
                .eventBus().publishAll(List.of(OrderPlaced.of("o-1"), ReportRequested.of(1), OrderPlaced.of("o-2"))));

        assertTrue(refused.getMessage().contains("[default, export]"), refused.getMessage());
        assertEquals(Map.of("default", List.of(0, 2), "export", List.of(1)), refused.parts());
        assertEquals(0, redis.raw().exists(redis.settings().keyPrefix() + ":stream",
                QueueNames.prefixOf(redis.settings().keyPrefix(), "export") + ":stream"), "nothing was published");
    }

    @Test
    void anIdIsDeduplicatedInTheQueueItsNameIsRoutedTo() {
        RedisTestTransport redis = transport(Map.of(ReportRequested.NAME, "export"));
        ReportRequested event = ReportRequested.of(1);

        assertEquals(PublishOutcome.PUBLISHED, redis.transport().eventBus().publish(event));
        assertEquals(PublishOutcome.DUPLICATE, redis.transport().eventBus().publish(event));
    }

    @Test
    void theDefaultWorkerConsumesEveryConfiguredQueue() {
        RedisTestTransport redis = transport(Map.of(ReportRequested.NAME, "export"));
        AtomicInteger handled = new AtomicInteger();
        processor.register(OrderPlaced.class, "on-order", event -> handled.incrementAndGet());
        processor.register(ReportRequested.class, "on-report", event -> handled.incrementAndGet());
        redis.startWorker();

        redis.transport().eventBus().publish(OrderPlaced.of("o-1"));
        redis.transport().eventBus().publish(ReportRequested.of(1));

        await().atMost(WAIT).until(() -> handled.get() == 2);
        await().atMost(WAIT).until(() -> redis.transport().admin().stats().completed() == 2);
        assertEquals(1, redis.transport().admin("export").stats().completed());
        assertEquals(1, redis.transport().admin(QueueNames.DEFAULT).stats().completed());
    }

    @Test
    void deadLettersOfEveryQueueAreListedAndRetriedInTheirOwnQueue() {
        RedisTestTransport redis = transport(Map.of(ReportRequested.NAME, "export"));
        AtomicBoolean failing = new AtomicBoolean(true);
        AtomicInteger reports = new AtomicInteger();
        processor.register(ReportRequested.class, "export-report", event -> {
            if (failing.get()) {
                throw new InvalidReport();
            }
            reports.incrementAndGet();
        });
        processor.register(OrderPlaced.class, "on-order", event -> {
            throw new InvalidReport();
        });
        redis.startWorker();
        ReportRequested report = ReportRequested.of(7);
        redis.transport().eventBus().publish(report);
        redis.transport().eventBus().publish(OrderPlaced.of("o-1"));
        await().atMost(WAIT).until(() -> redis.transport().admin().stats().deadLettered() == 2);

        List<DeadLetter> listed = redis.transport().admin().deadLetters(0, 10).items();
        assertEquals(2, listed.size());
        assertEquals(2, redis.transport().admin().deadLetters(0, 10).total());
        assertEquals(1, redis.transport().admin("export").stats().deadLettered());
        failing.set(false);
        assertTrue(redis.transport().admin().retry(report.eventId()));

        await().atMost(WAIT).until(() -> reports.get() == 1);
        assertEquals(0, redis.transport().admin("export").stats().deadLettered());
        assertEquals(1, redis.transport().admin(QueueNames.DEFAULT).stats().deadLettered());
    }

    @Test
    void aWorkerOnAQueueNoEventIsRoutedToIsRefused() {
        RedisTestTransport redis = transport(Map.of(ReportRequested.NAME, "export"));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> redis.transport().startWorker(WorkerQueues.strict(List.of("mail"), 1)));

        assertEquals("queue 'mail' is not one of this transport's: [default, export] (a queue is configured by"
                + " routing an event name to it)", refused.getMessage());
    }

    /** A failure that is never retried. */
    private static final class InvalidReport extends RuntimeException implements NonRetryable {
        private static final long serialVersionUID = 1L;

        InvalidReport() {
            super("invalid report");
        }
    }

    @Test
    void aDelayedEventRoutedToANamedQueueWaitsInThatQueueAndIsHandledThere() {
        RedisTestTransport redis = transport(Map.of(ReportRequested.NAME, "export"));
        List<Integer> handled = Collections.synchronizedList(new ArrayList<>());
        processor.register(ReportRequested.class, "export-report", event -> handled.add(event.number()));

        assertEquals(PublishOutcome.PUBLISHED, redis.transport().eventBus().publish(ReportRequested.of(7),
                PublishOptions.deliverAfter(Duration.ofMillis(300))));

        assertEquals(1, redis.raw().zcard(QueueNames.prefixOf(redis.settings().keyPrefix(), "export") + ":scheduled"),
                "it waits in the export queue's scheduled set");
        assertEquals(1, redis.transport().admin().stats().scheduled(), "the summed admin counts it");
        redis.transport().startWorker(WorkerQueues.strict(List.of("export", "default"), 1));
        await().atMost(WAIT).until(() -> handled.equals(List.of(7)));
        assertEquals(0, redis.transport().admin().stats().scheduled());
    }

    @Test
    void aRateLimitHoldsOnAWorkerOverSeveralQueuesWithItsPermitsUnderTheBusPrefix() {
        RedisTestTransport redis = transport(Map.of(ReportRequested.NAME, "export"));
        AtomicInteger handled = new AtomicInteger();
        processor.register(ReportRequested.class, "limited-export", event -> handled.incrementAndGet(),
                SubscriptionOptions.DEFAULT.withRateLimit(RateLimit.of(100, Duration.ofMinutes(1))));
        redis.transport().eventBus().publishAll(IntStream.range(0, 3).mapToObj(ReportRequested::of).toList());

        redis.transport().startWorker(WorkerQueues.strict(List.of("default", "export"), 2)); // not refused

        await().atMost(WAIT).until(() -> handled.get() == 3);
        String permits = redis.settings().keyPrefix() + ":g:" + redis.settings().group() + ":rate:limited-export";
        assertEquals(3, redis.raw().zcard(permits), "one permit per run, under the bus's prefix");
    }

    @Test
    void anotherApplicationWithoutRoutesHandlesAndCountsEventsRoutedToANamedQueue() {
        RedisTestTransport sender = transport(Map.of(OrderPlaced.NAME, "mail"));
        DomainEventsProcessor otherProcessor = new DomainEventsProcessor(new EventTypeRegistry()
                .register(OrderPlaced.class).register(ReportRequested.class));
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        otherProcessor.register(OrderPlaced.class, "billing", event -> handled.add(event.orderId()));
        RedisTestTransport other = RedisTestTransport.connect(TestRedis.shared(), sender.settings()
                .withRoutes(Map.of()).withGroup("billing-service"), otherProcessor);
        transports.add(other);

        sender.transport().eventBus().publish(OrderPlaced.of("o-1"));
        other.transport().startWorker();

        await().atMost(WAIT).until(() -> handled.equals(List.of("o-1")));
        await().atMost(WAIT).until(() -> other.transport().admin().stats().completed() == 1);
        assertEquals(1, other.transport().admin("mail").stats().completed(), "its admin has the queue too");
        assertEquals(Set.of("default", "mail"), other.raw().smembers(sender.settings().keyPrefix() + ":queues"));
    }

    @Test
    void aWorkerLeavingOutAQueueAnotherApplicationRegisteredWarnsOnceNamingIt() {
        RedisTestTransport sender = transport(Map.of(OrderPlaced.NAME, "mail", ReportRequested.NAME, "export"));
        RedisTestTransport other = RedisTestTransport.connect(TestRedis.shared(), sender.settings()
                .withRoutes(Map.of()).withGroup("billing-service"), processor);
        transports.add(other);

        try (LogLines logs = LogLines.capture()) {
            other.transport().startWorker(WorkerQueues.strict(List.of("default", "mail"), 1));
            other.transport().startWorker(WorkerQueues.strict(List.of("default"), 1));

            List<String> warnings = logs.containing("consumed by no worker of group 'billing-service'");
            assertEquals(1, warnings.size(), String.join("\n", logs.lines()));
            assertTrue(warnings.get(0).contains("WARN") && warnings.get(0).contains("[export]"), warnings.get(0));
        }
    }

    @Test
    void aDueDelayedEventIsReleasedWhileEverySlotIsBusy() throws InterruptedException {
        RedisTestTransport redis = transport(Map.of(ReportRequested.NAME, "export"));
        CountDownLatch mayFinish = new CountDownLatch(1);
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        processor.register(OrderPlaced.class, "blocking", event -> {
            handled.add(event.orderId());
            mayFinish.await();
        });
        // Over two queues: no read-ahead, so its one slot busy leaves it no room at all.
        redis.transport().startWorker(WorkerQueues.strict(List.of("default", "export"), 1));
        redis.transport().eventBus().publish(OrderPlaced.of("busy"));
        await().atMost(WAIT).until(() -> handled.equals(List.of("busy")));
        try {
            redis.transport().eventBus().publish(OrderPlaced.of("delayed"),
                    PublishOptions.deliverAfter(Duration.ofMillis(300)));

            await().atMost(WAIT).until(() -> {
                var stats = redis.transport().admin().stats();
                return stats.scheduled() == 0 && stats.waiting() == 1;
            });
            assertEquals(List.of("busy"), handled, "the slot is still busy");
        } finally {
            mayFinish.countDown();
        }
        await().atMost(WAIT).until(() -> handled.equals(List.of("busy", "delayed")));
    }

    @Test
    void aWorkerOverTwoQueuesReportsItsRunningHandlersToTheQueueTheyCameFrom() throws InterruptedException {
        RedisTestTransport redis = transport(Map.of(ReportRequested.NAME, "export"));
        CountDownLatch mayFinish = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        processor.register(OrderPlaced.class, "blocking", event -> {
            started.incrementAndGet();
            mayFinish.await();
        });
        redis.transport().startWorker(WorkerQueues.strict(List.of("default", "export"), 2));
        try {
            redis.transport().eventBus().publish(OrderPlaced.of("o-1"));
            redis.transport().eventBus().publish(OrderPlaced.of("o-2"));
            await().atMost(WAIT).until(() -> started.get() == 2);

            await().atMost(WAIT).until(() -> redis.transport().admin(QueueNames.DEFAULT).stats().active() == 2);
            assertEquals(2, redis.transport().admin().stats().active());
            assertEquals(0, redis.transport().admin("export").stats().active());
            String exportReports = QueueNames.prefixOf(redis.settings().keyPrefix(), "export") + ":g:"
                    + redis.settings().group() + ":active";
            assertEquals(0, RedisQueueAdmin.liveCount(redis.raw().hgetall(exportReports).values(), 0),
                    "no running handler reported to the queue none of them came from");
        } finally {
            mayFinish.countDown();
        }
    }

    @Test
    void aWorkerOverSeveralQueuesStoresItsSubscriptionReportsOnceForTheGroup() {
        RedisTestTransport redis = transport(Map.of(ReportRequested.NAME, "export"));
        processor.register(OrderPlaced.class, "on-order", event -> {
        });
        processor.register(ReportRequested.class, "on-report", event -> {
        });
        redis.transport().startWorker(WorkerQueues.strict(List.of("default", "export"), 2));

        redis.transport().eventBus().publishAll(List.of(OrderPlaced.of("o-1"), OrderPlaced.of("o-2"),
                OrderPlaced.of("o-3")));
        redis.transport().eventBus().publishAll(List.of(ReportRequested.of(1), ReportRequested.of(2)));

        Map<String, SubscriptionStats> stats = await().atMost(WAIT).until(() -> bySubscription(
                redis.transport().admin().subscriptionStats()), s -> s.size() == 2
                && s.get("on-order").handled() == 3 && s.get("on-report").handled() == 2
                && s.get("on-order").window().runs() == 3 && s.get("on-report").window().runs() == 2);
        assertEquals(stats.keySet(), bySubscription(redis.transport().admin("export").subscriptionStats()).keySet(),
                "the group's stats, whichever queue's admin asks");
        assertEquals(3, bySubscription(redis.transport().admin("export").subscriptionStats()).get("on-order")
                .handled());
        String exportGroup = QueueNames.prefixOf(redis.settings().keyPrefix(), "export") + ":g:"
                + redis.settings().group();
        assertEquals(0, redis.raw().exists(exportGroup + ":subscription-counts", exportGroup
                + ":subscription-windows"), "stored under the bus's prefix, not the queue's");
    }

    private static Map<String, SubscriptionStats> bySubscription(List<SubscriptionStats> stats) {
        Map<String, SubscriptionStats> byName = new LinkedHashMap<>();
        stats.forEach(each -> byName.put(each.subscription(), each));
        return byName;
    }
}
