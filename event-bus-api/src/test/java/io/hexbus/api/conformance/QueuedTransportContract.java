package io.hexbus.api.conformance;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterFilter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.EventProgress.State;
import io.hexbus.api.admin.EventProgress.SubscriptionProgress;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.conformance.ContractEvents.ParcelDelivered;
import io.hexbus.api.conformance.ContractEvents.ParcelScanned;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.NonRetryableException;
import io.hexbus.api.handling.RateLimit;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.api.publishing.DelayedDeliveryUnsupportedException;
import io.hexbus.api.publishing.PublishOptions;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.api.transport.QueuedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The behaviour every queued transport ({@link QueuedTransport}: workers, leases, retries, dead letters and their
 * admin) must show, on top of {@link EventBusContract}. A transport's test extends this class and supplies
 * {@link #newQueue()}, a {@link QueuedTransportUnderTest} over a queue of its own, and {@link #capabilities()};
 * a test that needs a capability the transport does not declare is skipped, with the reason.
 *
 * <p>Each test gets a fresh registry, processor and queue, so transports may run tests in parallel.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class QueuedTransportContract {

    /** How long asynchronous outcomes may take before a test fails. */
    protected static final Duration WAIT = Duration.ofSeconds(30);

    /** Fast retries: 2 retries, after 200 ms and 400 ms. */
    private static final SubscriptionOptions FAST_RETRIES = SubscriptionOptions.DEFAULT
            .withRetryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(200)));

    /** Short, so that a takeover happens within a test's wait. */
    private static final Duration SHORT_LEASE = Duration.ofSeconds(1);

    /** The processor every transport of the test dispatches through. */
    protected DomainEventsProcessor processor;
    private QueuedTransportUnderTest queue;

    /**
     * Creates the fixture of one test: a queue of its own, no transport connected yet.
     *
     * @return the fixture
     * @throws Exception if it cannot be created
     */
    protected abstract QueuedTransportUnderTest newQueue() throws Exception;

    /**
     * @return what the transport claims beyond the common contract
     */
    protected abstract Set<TransportCapability> capabilities();

    @BeforeEach
    void createQueue() throws Exception {
        processor = new DomainEventsProcessor(new EventTypeRegistry().register(ParcelShipped.class)
                .register(ParcelDelivered.class).register(ParcelScanned.class));
        queue = newQueue();
    }

    @AfterEach
    void deleteQueue() {
        if (queue != null) {
            queue.close();
        }
    }

    @Test
    @DisplayName("retries wait their backoff, then the event is dead-lettered with the last error")
    void retriesWaitTheirBackoffThenDeadLetterWithTheLastError() {
        assumeCapability(TransportCapability.RETRIES);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        List<Long> attemptsAt = new CopyOnWriteArrayList<>();
        processor.register(ParcelShipped.class, "always-fails", (ParcelShipped e) -> {
            attemptsAt.add(System.nanoTime());
            throw new IllegalStateException("warehouse down, attempt " + attemptsAt.size());
        }, FAST_RETRIES);
        ParcelShipped event = ContractEvents.shipped(1);

        transport.eventBus().publish(event);

        QueueStats stats = awaitStats(transport, s -> s.deadLettered() == 1);
        assertEquals(3, attemptsAt.size(), "the first attempt and 2 retries");
        long firstGap = (attemptsAt.get(1) - attemptsAt.get(0)) / 1_000_000;
        long secondGap = (attemptsAt.get(2) - attemptsAt.get(1)) / 1_000_000;
        assertTrue(firstGap >= 190, "first retry after about 200 ms, was " + firstGap);
        assertTrue(secondGap >= 390, "second retry after about 400 ms, was " + secondGap);
        assertEquals(3, stats.failedAttempts());
        assertEquals(0, stats.completed());
        DeadLetter dead = transport.admin().deadLetter(event.eventId()).orElseThrow();
        assertEquals(List.of("always-fails"), dead.failedSubscriptions());
        assertEquals(3, dead.attempts());
        assertTrue(dead.lastError().startsWith("subscription 'always-fails': java.lang.IllegalStateException:"
                + " warehouse down, attempt 3\n\tat "), dead.lastError());
        assertFalse(dead.firstFailedAt().isAfter(dead.lastFailedAt()));
        assertTrue(dead.envelope().contains("\"parcelId\":\"parcel-1\""), dead.envelope());
        queue.awaitIdle(WAIT);
    }

    @Test
    @DisplayName("a non-retryable failure is dead-lettered after one attempt")
    void aNonRetryableFailureIsDeadLetteredAfterOneAttempt() {
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        AtomicInteger attempts = new AtomicInteger();
        processor.register(ParcelShipped.class, "rejects", (ParcelShipped e) -> {
            attempts.incrementAndGet();
            throw new NonRetryableException("parcel " + e.parcelId() + " has no address");
        }, FAST_RETRIES);
        ParcelShipped event = ContractEvents.shipped(1);

        transport.eventBus().publish(event);

        awaitStats(transport, s -> s.deadLettered() == 1);
        DeadLetter dead = transport.admin().deadLetter(event.eventId()).orElseThrow();
        assertEquals(1, attempts.get());
        assertEquals(1, dead.attempts());
        assertTrue(dead.lastError().contains("parcel parcel-1 has no address"), dead.lastError());
    }

    @Test
    @DisplayName("a retry runs only the subscription that failed")
    void aRetryRunsOnlyTheSubscriptionThatFailed() {
        assumeCapability(TransportCapability.RETRIES);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        Map<String, AtomicInteger> runs = registerSteadyAndFlakyOnce(FAST_RETRIES);

        transport.eventBus().publish(ContractEvents.shipped(1));

        awaitStats(transport, s -> s.completed() == 1);
        assertEquals(1, runs.get("steady").get(), "the subscription that succeeded is not run again");
        assertEquals(2, runs.get("flaky").get());
        queue.awaitIdle(WAIT);
    }

    @Test
    @DisplayName("an id published again while its event waits for a retry runs no subscription again")
    void anIdPublishedAgainWhileItsEventWaitsForARetryRunsNothingAgain() {
        assumeCapability(TransportCapability.RETRIES);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        Map<String, AtomicInteger> runs = registerSteadyAndFlakyOnce(
                SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(2, Duration.ofSeconds(2))));
        ParcelShipped event = ContractEvents.shipped(1);

        transport.eventBus().publish(event);
        awaitStats(transport, s -> s.retryScheduled() == 1);
        transport.eventBus().publish(event); // a duplicate (a publisher's retry, say): DUPLICATE or dropped

        awaitStats(transport, s -> s.completed() == 1);
        queue.awaitIdle(WAIT);
        assertEquals(1, runs.get("steady").get(), "the subscription done is not run for the duplicate");
        assertEquals(2, runs.get("flaky").get(), "the failed subscription runs once more, for its retry only");
    }

    @Test
    @DisplayName("a dead-letter retry runs only the subscriptions that failed for good")
    void aDeadLetterRetryRerunsOnlyTheFailedSubscription() {
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        CountDownLatch fixed = new CountDownLatch(1);
        processor.register(ParcelShipped.class, "audit", (ParcelShipped e) -> count(runs, "audit"));
        processor.register(ParcelShipped.class, "mail", (ParcelShipped e) -> {
            count(runs, "mail");
            if (fixed.getCount() > 0) {
                throw new NonRetryableException("mail template missing");
            }
        }, FAST_RETRIES);
        ParcelShipped event = ContractEvents.shipped(1);
        transport.eventBus().publish(event);
        awaitStats(transport, s -> s.deadLettered() == 1);
        QueueAdmin admin = transport.admin();
        assertEquals(List.of("mail"), admin.deadLetter(event.eventId()).orElseThrow().failedSubscriptions());

        fixed.countDown();
        assertTrue(admin.retry(event.eventId()));

        QueueStats stats = awaitStats(transport, s -> s.completed() == 1 && s.deadLettered() == 0);
        assertEquals(1, runs.get("audit").get(), "the audit already succeeded: not run again");
        assertEquals(2, runs.get("mail").get());
        assertTrue(admin.deadLetter(event.eventId()).isEmpty());
        assertFalse(admin.retry(event.eventId()), "nothing left to retry");
        assertEquals(0, stats.retryScheduled());
    }

    @Test
    @DisplayName("dead letters are listed newest first, removed one by one and cleaned by age")
    void deadLettersAreListedNewestFirstRemovedAndCleanedByAge() {
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        processor.register(ParcelShipped.class, "rejects", (ParcelShipped e) -> {
            throw new NonRetryableException("no");
        });
        QueueAdmin admin = transport.admin();
        ParcelShipped first = ContractEvents.shipped(1);
        transport.eventBus().publish(first);
        awaitStats(transport, s -> s.deadLettered() == 1);
        ParcelShipped second = ContractEvents.shipped(2);
        ParcelShipped third = ContractEvents.shipped(3);
        transport.eventBus().publishAll(List.of(second, third));
        awaitStats(transport, s -> s.deadLettered() == 3);

        DeadLetterPage page = admin.deadLetters(0, 2);
        assertEquals(3, page.total());
        assertEquals(2, page.items().size());
        assertTrue(page.items().stream().noneMatch(d -> d.eventId().equals(first.eventId())), "oldest is not on page 1");
        assertEquals(List.of(first.eventId()), admin.deadLetters(2, 2).items().stream().map(DeadLetter::eventId)
                .toList());

        assertTrue(admin.remove(second.eventId()));
        assertFalse(admin.remove(second.eventId()));
        assertEquals(0, admin.cleanDeadLetters(Duration.ofHours(1)), "none is an hour old");
        await().atMost(WAIT).until(() -> admin.cleanDeadLetters(Duration.ofMillis(1)) > 0
                || admin.stats().deadLettered() == 0);
        await().atMost(WAIT).until(() -> admin.cleanDeadLetters(Duration.ofMillis(1)) == 0
                && admin.stats().deadLettered() == 0);
        assertEquals(0, admin.deadLetters(0, 10).total());
    }

    @Test
    @DisplayName("the admin refuses a page out of bounds and a clean-up age that is not positive, naming them")
    void theAdminRefusesBadArgumentsNamingThem() {
        QueueAdmin admin = queue.connect(processor, QueueTestSettings.DEFAULTS).admin();

        assertRefused("offset must be 0 or more, got -1", () -> admin.deadLetters(-1, 10));
        assertRefused("limit must be from 1 to 1000, got 0", () -> admin.deadLetters(0, 0));
        assertRefused("limit must be from 1 to 1000, got 1001", () -> admin.deadLetters(0, 1_001));
        assertRefused("age must be positive, got PT0S", () -> admin.cleanDeadLetters(Duration.ZERO));
        assertRefused("age must be positive, got PT-1S", () -> admin.cleanDeadLetters(Duration.ofSeconds(-1)));
        assertRefused("age must be positive, got null", () -> admin.cleanDeadLetters(null));
    }

    @Test
    @DisplayName("stats count completed, dead-lettered, failed attempts and unhandled events as documented")
    void statsMoveAsDocumented() {
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        processor.register(ParcelShipped.class, "picky", (ParcelShipped e) -> {
            if (e.sequence() == 3) {
                throw new NonRetryableException("bad parcel");
            }
        });
        transport.eventBus().publishAll(List.of(ContractEvents.shipped(1), ContractEvents.shipped(2),
                ContractEvents.shipped(3)));
        transport.eventBus().publish(ContractEvents.delivered("parcel-1")); // no subscription: unhandled

        QueueStats stats = awaitStats(transport, s -> s.completed() == 2 && s.deadLettered() == 1
                && s.unhandled() == 1);

        assertFalse(stats.group().isBlank(), "the stats name their consumer group");
        assertEquals(new QueueStats(stats.group(), 0, 0, 0, 0, 0, 2, 1, 1, 0, 1), stats);
    }

    @Test
    @DisplayName("a handler past its timeout fails the attempt and frees its slot, and is retried")
    void aHandlerPastItsTimeoutFailsTheAttemptFreesItsSlotAndIsRetried() {
        assumeCapability(TransportCapability.RETRIES);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS.withConcurrency(1));
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        registerHangingOnFirstAttempt(attempts, never);
        List<String> other = new CopyOnWriteArrayList<>();
        processor.register(ParcelDelivered.class, "other", (ParcelDelivered e) -> other.add(e.parcelId()));

        transport.eventBus().publish(ContractEvents.shipped(1));
        transport.eventBus().publish(ContractEvents.delivered("next"));

        try {
            QueueStats stats = awaitStats(transport, s -> s.completed() == 2);
            assertEquals(2, attempts.get());
            assertEquals(1, stats.failedAttempts(), "the timed-out attempt counts as failed");
            assertEquals(List.of("next"), other, "the single slot was freed for the next event");
        } finally {
            never.countDown();
        }
    }

    @Test
    @DisplayName("a handler stopped by its timeout's interrupt leaves no interrupt behind; the rest of its round runs")
    void aTimedOutHandlerLeavesNoInterruptBehindAndTheRestOfItsRoundStillRuns() {
        assumeCapability(TransportCapability.RETRIES);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS.withConcurrency(1));
        AtomicInteger slowAttempts = new AtomicInteger();
        processor.register(ParcelShipped.class, "slow-once", (ParcelShipped e) -> {
            if (e.sequence() == 1 && slowAttempts.incrementAndGet() == 1) {
                new CountDownLatch(1).await(); // stops when the timeout interrupts it
            }
        }, SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(50)))
                .withTimeout(Duration.ofMillis(200)));
        List<Integer> sawInterrupt = new CopyOnWriteArrayList<>();
        List<Integer> audited = new CopyOnWriteArrayList<>();
        processor.register(ParcelShipped.class, "audit", (ParcelShipped e) -> {
            if (Thread.currentThread().isInterrupted()) {
                sawInterrupt.add(e.sequence());
            }
            audited.add(e.sequence());
        });

        for (int i = 1; i <= 5; i++) {
            transport.eventBus().publish(ContractEvents.shipped(i));
        }

        QueueStats stats = awaitStats(transport, s -> s.completed() == 5);
        assertEquals(2, slowAttempts.get(), "timed out once, then retried");
        assertEquals(1, stats.failedAttempts());
        assertEquals(List.of(), sawInterrupt, "the timeout's interrupt must not reach the next handler");
        assertEquals(List.of(1, 2, 3, 4, 5), audited.stream().sorted().toList(),
                "the subscription after the timed-out one ran once per event, in the same round");
    }

    @Test
    @DisplayName("a worker crashed mid-handler is taken over: the side effect happens once, a takeover, not an attempt")
    void aWorkerCrashedMidHandlerIsTakenOverAndCountedAsATakeover() throws Exception {
        assumeCapability(TransportCapability.TAKEOVER);
        QueuedTransport first = connectWithWorker(QueueTestSettings.DEFAULTS.withLeaseTimeout(SHORT_LEASE)
                .withShutdownDeadline(Duration.ofMillis(200)));
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger sideEffects = new AtomicInteger();
        CountDownLatch firstAttemptStarted = new CountDownLatch(1);
        processor.register(ParcelShipped.class, "ship", (ParcelShipped e) -> {
            if (attempts.incrementAndGet() == 1) {
                firstAttemptStarted.countDown();
                new CountDownLatch(1).await(); // until the crash stops it: the side effect never happens
            }
            sideEffects.incrementAndGet();
        });
        first.eventBus().publish(ContractEvents.shipped(1));
        assertTrue(firstAttemptStarted.await(30, TimeUnit.SECONDS));

        queue.crash(first);
        QueuedTransport second = connectWithWorker(QueueTestSettings.DEFAULTS.withLeaseTimeout(SHORT_LEASE));

        QueueStats stats = awaitStats(second, s -> s.completed() == 1);
        assertEquals(1, sideEffects.get());
        assertEquals(2, attempts.get());
        assertEquals(1, stats.takeovers());
        assertEquals(0, stats.failedAttempts(), "a takeover is not a failed attempt");
    }

    @Test
    @DisplayName("a slow live handler keeps its lease and runs once, with another worker waiting")
    void aSlowLiveHandlerKeepsItsLeaseAndRunsOnce() {
        assumeCapability(TransportCapability.TAKEOVER);
        QueueTestSettings shortLease = QueueTestSettings.DEFAULTS.withLeaseTimeout(Duration.ofMillis(600));
        QueuedTransport first = connectWithWorker(shortLease);
        connectWithWorker(shortLease);
        AtomicInteger runs = new AtomicInteger();
        processor.register(ParcelShipped.class, "slow", (ParcelShipped e) -> {
            runs.incrementAndGet();
            Thread.sleep(2_500); // the work itself: four lease timeouts long
        });

        first.eventBus().publish(ContractEvents.shipped(1));

        QueueStats stats = awaitStats(first, s -> s.completed() == 1);
        assertEquals(1, runs.get());
        assertEquals(0, stats.takeovers());
    }

    @Test
    @DisplayName("graceful shutdown lets the in-flight handler finish and acknowledges it")
    void gracefulShutdownLetsTheInFlightHandlerFinish() throws Exception {
        QueuedTransport transport = queue.connect(processor, QueueTestSettings.DEFAULTS);
        QueueWorker worker = queue.startWorker(transport);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        processor.register(ParcelShipped.class, "slow", (ParcelShipped e) -> {
            started.countDown();
            release.await();
            finished.incrementAndGet();
        });
        transport.eventBus().publish(ContractEvents.shipped(1));
        assertTrue(started.await(30, TimeUnit.SECONDS));

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(worker::close);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> !stopping.isDone());
        release.countDown();
        stopping.get(30, TimeUnit.SECONDS);

        assertEquals(1, finished.get());
        QueueStats stats = transport.admin().stats();
        assertEquals(1, stats.completed());
        assertEquals(0, stats.active());
        assertEquals(0, stats.reserved());
    }

    @Test
    @DisplayName("a handler still running at the shutdown deadline is left for another worker, which takes it over")
    void aHandlerStillRunningAtTheShutdownDeadlineIsLeftForAnotherWorker() throws Exception {
        assumeCapability(TransportCapability.TAKEOVER);
        // The deadline outlasts the 300 ms check that close is waiting, even on a busy machine.
        QueueTestSettings settings = QueueTestSettings.DEFAULTS.withLeaseTimeout(SHORT_LEASE).withConcurrency(2)
                .withShutdownDeadline(Duration.ofSeconds(3));
        QueuedTransport first = queue.connect(processor, settings);
        QueueWorker worker = queue.startWorker(first);
        Semaphore started = new Semaphore(0);
        CountDownLatch release = new CountDownLatch(1);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger quickFinished = new AtomicInteger();
        processor.register(ParcelShipped.class, "work", (ParcelShipped e) -> {
            int run = count(runs, e.parcelId());
            started.release();
            if (e.sequence() == 1) {
                release.await();
                quickFinished.incrementAndGet();
            } else if (run == 1) {
                new CountDownLatch(1).await(); // past any deadline: interrupted when its worker gives up on it
            }
        });
        first.eventBus().publishAll(List.of(ContractEvents.shipped(1), ContractEvents.shipped(2)));
        assertTrue(started.tryAcquire(2, 30, TimeUnit.SECONDS));

        AtomicInteger finishedWhenClosed = new AtomicInteger(-1);
        CountDownLatch closing = new CountDownLatch(1);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            closing.countDown();
            worker.close();
            finishedWhenClosed.set(quickFinished.get());
        });
        // Released only once close is under way and waiting: else close could begin after the quick handler
        // finished, and returning after it would prove nothing.
        assertTrue(closing.await(30, TimeUnit.SECONDS));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> !stopping.isDone());
        assertEquals(0, quickFinished.get());
        release.countDown();
        stopping.get(30, TimeUnit.SECONDS);
        assertEquals(1, finishedWhenClosed.get(), "close returned after the in-flight handler that could finish");

        QueuedTransport second = connectWithWorker(settings);
        QueueStats stats = awaitStats(second, s -> s.completed() == 2);
        assertEquals(Map.of("parcel-1", 1, "parcel-2", 2), Map.of("parcel-1", runs.get("parcel-1").get(),
                "parcel-2", runs.get("parcel-2").get()));
        assertEquals(1, stats.takeovers());
        assertEquals(0, stats.failedAttempts(), "an event left at shutdown has not failed");
    }

    @Test
    @DisplayName("events published through a transport that closed are delivered by another transport's worker")
    void eventsOutliveTheTransportThatPublishedThem() {
        assumeCapability(TransportCapability.PERSISTENT);
        List<UUID> received = new CopyOnWriteArrayList<>();
        processor.register(ParcelShipped.class, "later", (ParcelShipped e) -> received.add(e.eventId()));
        QueuedTransport publisher = queue.connect(processor, QueueTestSettings.DEFAULTS);
        queue.startWorker(publisher).close(); // the queue exists, as once a worker ran; no worker runs now
        List<ParcelShipped> events = List.of(ContractEvents.shipped(1), ContractEvents.shipped(2));
        publisher.eventBus().publishAll(events);
        publisher.close();

        QueuedTransport consumer = connectWithWorker(QueueTestSettings.DEFAULTS);

        awaitStats(consumer, s -> s.completed() == 2);
        queue.awaitIdle(WAIT);
        assertEquals(Set.of(events.get(0).eventId(), events.get(1).eventId()), Set.copyOf(received));
        assertEquals(2, received.size());
    }

    @Test
    @DisplayName("a message that cannot be read is dead-lettered with its reason, once; later events still process")
    void aPoisonMessageIsDeadLetteredWithItsReason() {
        assumeCapability(TransportCapability.RAW_INPUT);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        List<UUID> handled = new CopyOnWriteArrayList<>();
        processor.register(ParcelShipped.class, "parcels", (ParcelShipped e) -> handled.add(e.eventId()));
        UUID poison = UUID.randomUUID();

        queue.injectRaw(poison, "contract.parcel-shipped", "{\"v\":1, \"id\": oops");
        ParcelShipped next = ContractEvents.shipped(2);
        transport.eventBus().publish(next);

        await().atMost(WAIT).until(() -> handled.contains(next.eventId()));
        await().atMost(WAIT).until(() -> transport.admin().deadLetter(poison).isPresent());
        DeadLetter dead = transport.admin().deadLetter(poison).orElseThrow();
        assertEquals(1, dead.attempts(), "malformed input is not retried");
        assertEquals(List.of("parcels"), dead.failedSubscriptions());
        assertTrue(dead.lastError().contains("envelope is not valid JSON"), dead.lastError());
        queue.awaitIdle(WAIT);
        assertEquals(List.of(next.eventId()), handled);
    }

    @Test
    @DisplayName("a transport closed while 4 workers close in other threads: every event handled once, none left held")
    void closingTransportAndWorkersFromManyThreadsLosesAndRepeatsNothing() throws Exception {
        QueueTestSettings settings = QueueTestSettings.DEFAULTS.withConcurrency(2).withLeaseTimeout(SHORT_LEASE)
                .withShutdownDeadline(Duration.ofSeconds(30));
        QueuedTransport first = queue.connect(processor, settings);
        Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger handled = new AtomicInteger();
        CountDownLatch twoHundredHandled = new CountDownLatch(1);
        processor.register(ParcelShipped.class, "count", (ParcelShipped e) -> {
            Thread.sleep(2); // the handler's work
            runs.computeIfAbsent(e.eventId(), id -> new AtomicInteger()).incrementAndGet();
            if (handled.incrementAndGet() == 200) {
                twoHundredHandled.countDown();
            }
        });
        List<QueueWorker> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(queue.startWorker(first));
        }
        List<DomainEvent> events = IntStream.range(0, 1_000).<DomainEvent>mapToObj(ContractEvents::shipped).toList();
        first.eventBus().publishAll(events);
        assertTrue(twoHundredHandled.await(60, TimeUnit.SECONDS));

        ExecutorService closers = Executors.newFixedThreadPool(workers.size() + 1);
        try {
            CountDownLatch workersClosing = new CountDownLatch(workers.size());
            List<Future<?>> closes = new ArrayList<>();
            for (QueueWorker worker : workers) {
                closes.add(closers.submit(() -> {
                    workersClosing.countDown();
                    worker.close();
                }));
            }
            closes.add(closers.submit(() -> {
                workersClosing.await(); // right after the workers' own closes began, while they still drain
                first.close();
                return null;
            }));
            for (Future<?> close : closes) {
                close.get(60, TimeUnit.SECONDS);
            }
        } finally {
            closers.shutdownNow();
        }

        QueuedTransport second = connectWithWorker(settings);
        await().atMost(Duration.ofSeconds(60)).until(() -> runs.size() == events.size());
        queue.awaitIdle(WAIT);

        List<UUID> twice = runs.entrySet().stream().filter(e -> e.getValue().get() != 1).map(Map.Entry::getKey)
                .toList();
        assertEquals(0, twice.size(), () -> twice.size() + " events handled more than once (their acknowledgements"
                + " were lost), e.g. " + twice.get(0));
        QueueStats stats = second.admin().stats();
        assertEquals(0, stats.takeovers(), "nothing finished was left held for the next worker to take over");
        assertEquals(1_000, stats.completed());
    }

    @Test
    @DisplayName("a close that finds another thread closing the worker returns only once the worker stopped")
    void closingAWorkerThatAnotherThreadIsClosingReturnsOnlyOnceItHasStopped() throws Exception {
        QueuedTransport transport = queue.connect(processor, QueueTestSettings.DEFAULTS);
        QueueWorker worker = queue.startWorker(transport);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        processor.register(ParcelShipped.class, "slow", (ParcelShipped e) -> {
            started.countDown();
            release.await();
        });
        transport.eventBus().publish(ContractEvents.shipped(1));
        assertTrue(started.await(30, TimeUnit.SECONDS));

        ExecutorService closers = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch bothClosing = new CountDownLatch(2);
            Callable<Long> close = () -> {
                bothClosing.countDown();
                worker.close();
                return transport.admin().stats().completed();
            };
            Future<Long> one = closers.submit(close);
            Future<Long> other = closers.submit(close);
            assertTrue(bothClosing.await(30, TimeUnit.SECONDS));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                    .until(() -> !one.isDone() && !other.isDone());

            release.countDown();
            assertEquals(1, one.get(30, TimeUnit.SECONDS), "returned after the worker acknowledged its event");
            assertEquals(1, other.get(30, TimeUnit.SECONDS), "returned after the worker acknowledged its event");
        } finally {
            closers.shutdownNow();
        }
    }

    @Test
    @DisplayName("events of one ordering key reach each subscription in publish order, however long each takes")
    void eventsOfOneKeyReachEachSubscriptionInPublishOrder() {
        assumeCapability(TransportCapability.ORDERED_BY_KEY);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS.withConcurrency(4));
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>(); // "subscription parcel" -> sequences, as run
        for (String subscription : List.of("track", "bill")) {
            processor.register(ParcelScanned.class, subscription, (ParcelScanned e) -> {
                Thread.sleep(e.sequence() * 7L % 11); // the handler's work, longer or shorter than the next one's
                seen.computeIfAbsent(subscription + " " + e.parcelId(), k -> new CopyOnWriteArrayList<>())
                        .add(e.sequence());
            });
        }
        List<String> parcels = List.of("parcel-A", "parcel-B", "parcel-C");
        int events = 60;

        for (int i = 0; i < events; i++) {
            transport.eventBus().publish(ContractEvents.scanned(parcels.get(i % parcels.size()), i));
        }

        awaitStats(transport, s -> s.completed() == events);
        for (String subscription : List.of("track", "bill")) {
            for (int p = 0; p < parcels.size(); p++) {
                List<Integer> published = IntStream.iterate(p, i -> i < events, i -> i + parcels.size()).boxed()
                        .toList();
                assertEquals(published, seen.get(subscription + " " + parcels.get(p)),
                        subscription + " saw " + parcels.get(p) + "'s events in publish order");
            }
        }
    }

    @Test
    @DisplayName("an event waiting for its retry holds back the later events of its key only, which follow it in order")
    void aRetryHoldsBackOnlyTheLaterEventsOfItsKey() {
        assumeCapability(TransportCapability.ORDERED_BY_KEY);
        assumeCapability(TransportCapability.RETRIES);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS.withConcurrency(4));
        List<String> handled = new CopyOnWriteArrayList<>();
        CountDownLatch allOfB = new CountDownLatch(3);
        AtomicInteger firstOfAAttempts = new AtomicInteger();
        AtomicBoolean bWasDoneBeforeTheRetry = new AtomicBoolean();
        // On a Kafka topic of 2 partitions the two parcels share one: held apart by key, not by partition.
        processor.register(ParcelScanned.class, "track", (ParcelScanned e) -> {
            String name = e.parcelId().substring("parcel-".length()) + e.sequence();
            if (name.equals("A1")) {
                if (firstOfAAttempts.incrementAndGet() == 1) {
                    handled.add("A1 failed");
                    throw new IllegalStateException("scanner offline");
                }
                // Not held back by A1, B's events all ran while A1 waited: the retry finds them done at once. Held
                // back, they would wait for this retry, which waits for them until this await gives up.
                bWasDoneBeforeTheRetry.set(allOfB.await(10, TimeUnit.SECONDS));
            }
            handled.add(name);
            if (e.parcelId().equals("parcel-B")) {
                allOfB.countDown();
            }
        }, FAST_RETRIES);

        for (int i = 1; i <= 3; i++) {
            transport.eventBus().publish(ContractEvents.scanned("parcel-A", i));
            transport.eventBus().publish(ContractEvents.scanned("parcel-B", i));
        }

        QueueStats stats = awaitStats(transport, s -> s.completed() == 6);
        assertTrue(bWasDoneBeforeTheRetry.get(), "parcel-B's events completed while parcel-A's first waited: "
                + handled);
        assertEquals(List.of("A1 failed", "A1", "A2", "A3"), handled.stream().filter(h -> h.startsWith("A")).toList(),
                "A2 and A3 waited for A1's retry");
        assertEquals(List.of("B1", "B2", "B3"), handled.stream().filter(h -> h.startsWith("B")).toList());
        assertEquals(1, stats.failedAttempts());
        queue.awaitIdle(WAIT);
    }

    /**
     * Skips the running test unless the transport declares a capability.
     *
     * @param capability what the test needs
     */
    protected void assumeCapability(TransportCapability capability) {
        assumeTrue(capabilities().contains(capability), () -> "the transport does not declare " + capability);
    }

    private static void assertRefused(String message, org.junit.jupiter.api.function.Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    // --- The admin behind the dashboard (issue 18) ---

    @Test
    @DisplayName("subscription stats count each subscription's runs, failures, retries and dead letters on its own,"
            + " with handler durations over the window")
    void subscriptionStatsCountEachSubscriptionOnItsOwn() {
        assumeCapability(TransportCapability.RETRIES);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        registerSteadyAndFlakyOnce(FAST_RETRIES);
        processor.register(ParcelShipped.class, "picky", (ParcelShipped e) -> {
            if (e.sequence() == 2) {
                throw new NonRetryableException("bad parcel");
            }
        });
        QueueAdmin admin = transport.admin();

        transport.eventBus().publishAll(List.of(ContractEvents.shipped(1), ContractEvents.shipped(2)));

        awaitStats(transport, s -> s.completed() == 1 && s.deadLettered() == 1);
        Map<String, SubscriptionStats> stats = await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> bySubscription(admin.subscriptionStats()), s -> s.keySet().equals(
                        Set.of("steady", "flaky", "picky")) && s.get("steady").handled() == 2
                        && s.get("flaky").handled() == 2 && s.get("picky").deadLettered() == 1
                        && s.values().stream().mapToLong(each -> each.window().runs()).sum() == 7);
        assertEquals(List.of("flaky", "picky", "steady"), admin.subscriptionStats().stream()
                .map(SubscriptionStats::subscription).toList(), "sorted by name");
        assertCounts(stats.get("steady"), 2, 0, 0, 0, 2);
        assertCounts(stats.get("flaky"), 2, 1, 1, 0, 3);
        assertCounts(stats.get("picky"), 1, 1, 0, 1, 2);
        assertEquals(0.5, stats.get("picky").failureRate());
        for (SubscriptionStats each : stats.values()) {
            SubscriptionStats.Durations window = each.window();
            Duration p50 = window.p50().orElseThrow();
            assertTrue(p50.compareTo(window.p95().orElseThrow()) <= 0
                    && window.p95().orElseThrow().compareTo(window.p99().orElseThrow()) <= 0
                    && window.p99().orElseThrow().compareTo(window.max().orElseThrow()) <= 0, window::toString);
            assertTrue(window.length().toMinutes() >= 1, "a window of minutes, was " + window.length());
        }
    }

    @Test
    @DisplayName("an event's progress says, per subscription, done, waiting for a retry and until when, or dead")
    void eventProgressTellsWhereAnEventStandsForEachSubscription() {
        assumeCapability(TransportCapability.RETRIES);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        registerOkLaterAndRejects();
        QueueAdmin admin = transport.admin();
        assertEquals(Optional.empty(), admin.eventProgress(UUID.randomUUID()), "an id never published");
        ParcelShipped retrying = ContractEvents.shipped(1);
        ParcelShipped completed = ContractEvents.shipped(2);
        ParcelShipped dead = ContractEvents.shipped(3);
        Instant publishedAt = Instant.now();

        transport.eventBus().publishAll(List.of(retrying, completed, dead));

        awaitStats(transport, s -> s.retryScheduled() == 1 && s.completed() == 1 && s.deadLettered() == 1);
        Map<String, SubscriptionProgress> first = await().atMost(WAIT).until(() -> progressOf(admin, retrying),
                p -> p.size() == 3 && p.get("later").state() == State.RETRY_SCHEDULED);
        assertEquals(State.DONE, first.get("ok").state());
        assertEquals(State.DEAD, first.get("rejects").state());
        assertEquals(1, first.get("rejects").attempts());
        SubscriptionProgress later = first.get("later");
        assertEquals(1, later.attempts());
        Instant due = later.nextAttemptAt().orElseThrow();
        assertTrue(due.isAfter(publishedAt.plus(Duration.ofMinutes(59)))
                && due.isBefore(Instant.now().plus(Duration.ofMinutes(61))), "due in an hour, was " + due);
        // An event keeps one last error, here maybe that of "rejects": a subscription's own, when it is kept.
        later.lastError().ifPresent(error -> assertTrue(error.contains("carrier offline"), error));

        Map<String, SubscriptionProgress> done = await().atMost(WAIT).until(() -> progressOf(admin, completed),
                p -> p.size() == 3 && p.values().stream().allMatch(each -> each.state() == State.DONE));
        assertEquals(Set.of("ok", "later", "rejects"), done.keySet());

        Map<String, SubscriptionProgress> deadLettered = progressOf(admin, dead);
        assertEquals(Map.of("ok", State.DONE, "later", State.DONE, "rejects", State.DEAD),
                deadLettered.values().stream().collect(Collectors.toMap(SubscriptionProgress::subscription,
                        SubscriptionProgress::state)));
        assertTrue(deadLettered.get("rejects").lastError().orElse("").contains("no such address"),
                deadLettered.get("rejects").toString());
        assertEquals(ContractEvents.NAME_SHIPPED, admin.eventProgress(dead.eventId()).orElseThrow().eventName());
    }

    @Test
    @DisplayName("an event no worker has taken yet is found by its id, waiting for each subscription")
    void anEventNoWorkerTookYetIsWaitingForEachSubscription() {
        assumeCapability(TransportCapability.PROGRESS_OF_WAITING_EVENTS);
        QueuedTransport transport = queue.connect(processor, QueueTestSettings.DEFAULTS);
        registerOkLaterAndRejects();
        ParcelShipped event = ContractEvents.shipped(2);

        transport.eventBus().publish(event);

        Map<String, SubscriptionProgress> progress = progressOf(transport.admin(), event);
        assertEquals(Set.of("ok", "later", "rejects"), progress.keySet());
        assertTrue(progress.values().stream().allMatch(p -> p.state() == State.WAITING && p.attempts() == 0),
                progress::toString);
    }

    @Test
    @DisplayName("dead letters are filtered by event name, subscription and error text, and retried or removed by"
            + " filter")
    void deadLettersAreFilteredRetriedAndRemovedByFilter() {
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        AtomicBoolean fixed = new AtomicBoolean();
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        processor.register(ParcelShipped.class, "mail", (ParcelShipped e) -> {
            count(runs, "mail");
            if (e.sequence() < 3 && !fixed.get()) {
                throw new NonRetryableException("Template Missing");
            }
        });
        processor.register(ParcelShipped.class, "sms", (ParcelShipped e) -> {
            if (e.sequence() == 3) {
                throw new NonRetryableException("number invalid");
            }
        });
        processor.register(ParcelDelivered.class, "track", (ParcelDelivered e) -> {
            throw new NonRetryableException("scanner offline");
        });
        QueueAdmin admin = transport.admin();
        ParcelShipped badNumber = ContractEvents.shipped(3);
        transport.eventBus().publishAll(List.of(ContractEvents.shipped(1), ContractEvents.shipped(2), badNumber,
                ContractEvents.delivered("parcel-9")));
        awaitStats(transport, s -> s.deadLettered() == 4);

        DeadLetterFilter shipped = DeadLetterFilter.ANY.withEventName(ContractEvents.NAME_SHIPPED);
        assertEquals(3, admin.deadLetters(shipped, 0, 10).total());
        DeadLetterFilter mail = DeadLetterFilter.ANY.withSubscription("mail");
        DeadLetterPage second = admin.deadLetters(mail, 1, 1);
        assertEquals(2, second.total());
        assertEquals(1, second.items().size());
        assertEquals(List.of("mail"), second.items().get(0).failedSubscriptions());
        assertEquals(2, admin.deadLetters(DeadLetterFilter.ANY.withErrorContaining("template missing"), 0, 10).total(),
                "error text ignores case");
        assertEquals(List.of(badNumber.eventId()), admin.deadLetters(
                shipped.withErrorContaining("NUMBER"), 0, 10).items().stream().map(DeadLetter::eventId).toList());
        assertEquals(4, admin.deadLetters(DeadLetterFilter.ANY.withSubscription(" "), 0, 10).total(),
                "a blank criterion means any");

        fixed.set(true);
        assertEquals(2, admin.retryAll(mail));
        awaitStats(transport, s -> s.deadLettered() == 2 && s.completed() == 2);
        assertEquals(5, runs.get("mail").get(), "3 first runs, and one more for each of the 2 retried");
        assertEquals(1, admin.removeAll(DeadLetterFilter.ANY.withErrorContaining("scanner")));
        assertEquals(List.of("sms"), admin.deadLetters(0, 10).items().stream()
                .flatMap(d -> d.failedSubscriptions().stream()).toList());
        assertEquals(1, admin.removeAll(DeadLetterFilter.ANY));
        assertEquals(0, admin.stats().deadLettered());
    }

    /**
     * Registers, on parcels, "ok" (always succeeds), "later" (fails parcel 1, retries in an hour) and "rejects"
     * (fails parcels 1 and 3 for good).
     */
    private void registerOkLaterAndRejects() {
        processor.register(ParcelShipped.class, "ok", (ParcelShipped e) -> {
        });
        processor.register(ParcelShipped.class, "later", (ParcelShipped e) -> {
            if (e.sequence() == 1) {
                throw new IllegalStateException("carrier offline");
            }
        }, SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(1, Duration.ofHours(1))));
        processor.register(ParcelShipped.class, "rejects", (ParcelShipped e) -> {
            if (e.sequence() != 2) {
                throw new NonRetryableException("no such address");
            }
        });
    }

    private static Map<String, SubscriptionProgress> progressOf(QueueAdmin admin, DomainEvent event) {
        return admin.eventProgress(event.eventId()).map(EventProgress::subscriptions).orElse(List.of()).stream()
                .collect(Collectors.toMap(SubscriptionProgress::subscription, Function.identity()));
    }

    private static Map<String, SubscriptionStats> bySubscription(List<SubscriptionStats> stats) {
        return stats.stream().collect(Collectors.toMap(SubscriptionStats::subscription, Function.identity()));
    }

    private static void assertCounts(SubscriptionStats stats, long handled, long failed, long retries, long dead,
                                     long runsInWindow) {
        assertEquals(List.of(handled, failed, retries, dead, runsInWindow), List.of(stats.handled(),
                stats.failedAttempts(), stats.retriesScheduled(), stats.deadLettered(), stats.window().runs()),
                stats.subscription() + ": handled, failed attempts, retries scheduled, dead-lettered, runs in window");
    }

    private QueuedTransport connectWithWorker(QueueTestSettings settings) {
        QueuedTransport transport = queue.connect(processor, settings);
        queue.startWorker(transport);
        return transport;
    }

    private static QueueStats awaitStats(QueuedTransport transport, Predicate<QueueStats> condition) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> transport.admin().stats(),
                condition);
    }

    private static int count(Map<String, AtomicInteger> runs, String key) {
        return runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * Registers "hangs-once" on parcels (timeout 300 ms, retries after 100 ms): its first attempt hangs until
     * {@code release} opens, ignoring interrupts, so that only the timeout can free its slot; later attempts succeed.
     */
    /** Registers "steady", which always succeeds, and "flaky", which fails its first run; both count their runs. */
    private Map<String, AtomicInteger> registerSteadyAndFlakyOnce(SubscriptionOptions flakyOptions) {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        processor.register(ParcelShipped.class, "steady", (ParcelShipped e) -> count(runs, "steady"));
        processor.register(ParcelShipped.class, "flaky", (ParcelShipped e) -> {
            if (count(runs, "flaky") == 1) {
                throw new IllegalStateException("first try fails");
            }
        }, flakyOptions);
        return runs;
    }

    private void registerHangingOnFirstAttempt(AtomicInteger attempts, CountDownLatch release) {
        processor.register(ParcelShipped.class, "hangs-once",
                StuckHandlers.<ParcelShipped>hangingOnFirstAttempt(attempts, release),
                SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(100)))
                        .withTimeout(Duration.ofMillis(300)));
    }

    // --- Rate limits (issue 19, item 4) ---

    @Test
    @DisplayName("a rate-limited subscription runs at most its limit per window, postponed events are not failures,"
            + " and an unlimited subscription of the same events does not wait")
    void aRateLimitedSubscriptionRunsAtMostItsLimitPerWindow() {
        assumeCapability(TransportCapability.RATE_LIMITS);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS.withConcurrency(4));
        RateLimit limit = RateLimit.of(3, Duration.ofSeconds(1));
        List<Long> limitedStarts = new CopyOnWriteArrayList<>(); // nanoTime: one JVM
        List<UUID> limitedEvents = new CopyOnWriteArrayList<>();
        AtomicInteger unlimitedRuns = new AtomicInteger();
        AtomicInteger limitedWhenUnlimitedWasDone = new AtomicInteger(-1);
        processor.register(ParcelShipped.class, "limited", (ParcelShipped e) -> {
            limitedStarts.add(System.nanoTime());
            limitedEvents.add(e.eventId());
        }, SubscriptionOptions.DEFAULT.withRateLimit(limit));
        int events = 9;
        processor.register(ParcelShipped.class, "unlimited", (ParcelShipped e) -> {
            if (unlimitedRuns.incrementAndGet() == events) {
                limitedWhenUnlimitedWasDone.set(limitedEvents.size());
            }
        });

        long publishedNanos = System.nanoTime(); // before any permit: every one is taken after the publish
        for (int i = 0; i < events; i++) {
            transport.eventBus().publish(ContractEvents.shipped(i));
        }

        QueueStats stats = awaitStats(transport, s -> s.completed() == events);
        assertEquals(events, limitedEvents.size(), "each event ran the limited subscription once");
        assertEquals(events, Set.copyOf(limitedEvents).size(), "each event ran the limited subscription once");
        assertEquals(events, unlimitedRuns.get(), "each event ran the unlimited subscription once");
        assertEquals(0, stats.failedAttempts(), "a postponed subscription is not a failed attempt");
        assertEquals(0, stats.deadLettered());
        assertTrue(limitedWhenUnlimitedWasDone.get() < events, "the unlimited subscription ran every event while the"
                + " limited one waited for its window, at " + limitedWhenUnlimitedWasDone.get());
        assertNoStartBeforeItsWindow(limitedStarts, publishedNanos, limit);
        queue.awaitIdle(WAIT);
    }

    @Test
    @DisplayName("a transport without rate limits refuses to start a worker with a rate-limited subscription")
    void aTransportWithoutRateLimitsRefusesAWorkerWithARateLimitedSubscription() {
        assumeTrue(!capabilities().contains(TransportCapability.RATE_LIMITS),
                "the transport enforces rate limits");
        processor.register(ParcelShipped.class, "calls-the-carrier-api", (ParcelShipped e) -> {
        }, SubscriptionOptions.DEFAULT.withRateLimit(RateLimit.of(5, Duration.ofSeconds(1))));
        QueuedTransport transport = queue.connect(processor, QueueTestSettings.DEFAULTS);

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> queue.startWorker(transport));

        assertTrue(refused.getMessage().contains("subscription 'calls-the-carrier-api' has a rate limit"),
                refused.getMessage());
    }

    /**
     * Asserts that the {@code k}-th start (in time order) came at least {@code k / runs} windows after the publish:
     * the permits of any {@code runs + 1} runs span a window, and each run starts after its permit. (A sliding window
     * over the starts themselves is not guaranteed: a handler thread that stalls between its permit and its start
     * bunches with later starts. The permits' own window is checked on the broker's clock by the transports' tests,
     * on Redis {@code faults.RateLimitAcrossProcessesTest}.) One JVM's monotonic clock for both instants; 2 ms of
     * margin for a broker clock that rounds its window.
     */
    private static void assertNoStartBeforeItsWindow(List<Long> startNanos, long publishedNanos, RateLimit limit) {
        List<Long> sorted = startNanos.stream().sorted().toList();
        long per = limit.per().toNanos();
        for (int k = 0; k < sorted.size(); k++) {
            long windows = k / limit.runs();
            long after = sorted.get(k) - publishedNanos;
            assertTrue(after >= windows * per - 2_000_000, "start " + k + " came " + after / 1_000_000 + " ms after"
                    + " the publish, before its window (" + windows + " × " + limit.per() + "): " + (k + 1)
                    + " runs in less than " + (windows + 1) + " windows");
        }
    }

    // --- Delayed events (issue 19, item 1): DELAYED_DELIVERY ---

    /** Long enough that a worker would surely have run it at once if it ignored the due time. */
    private static final Duration DELAY = Duration.ofMillis(1_500);

    @Test
    @DisplayName("a delayed event is handled once due on the broker's clock, not before")
    void aDelayedEventIsHandledOnceDueNotBefore() {
        assumeCapability(TransportCapability.DELAYED_DELIVERY);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        List<Instant> handledAt = new CopyOnWriteArrayList<>();
        List<Long> handledNanos = new CopyOnWriteArrayList<>();
        processor.register(ParcelShipped.class, "later", (ParcelShipped e) -> {
            // The broker's time first: the test reads it once handledNanos shows the run.
            queue.brokerNow().ifPresent(handledAt::add);
            handledNanos.add(System.nanoTime());
        });
        Optional<Instant> publishedAt = queue.brokerNow();
        long publishedNanos = System.nanoTime();

        assertEquals(PublishOutcome.PUBLISHED, transport.eventBus().publish(ContractEvents.shipped(1),
                PublishOptions.deliverAfter(DELAY)));

        await().atMost(WAIT).until(() -> handledNanos.size() == 1);
        if (publishedAt.isPresent()) {
            Duration waited = Duration.between(publishedAt.get(), handledAt.get(0));
            assertTrue(waited.compareTo(DELAY) >= 0, "handled " + waited + " after publish, on the broker's clock");
        } else {
            Duration waited = Duration.ofNanos(handledNanos.get(0) - publishedNanos);
            assertTrue(waited.compareTo(DELAY) >= 0, "handled " + waited + " after publish");
        }
        queue.awaitIdle(WAIT);
        assertEquals(1, handledNanos.size());
    }

    @Test
    @DisplayName("a delayed event counts as scheduled, not waiting, and holds no worker slot while it waits")
    void aDelayedEventCountsAsScheduledAndHoldsNoSlot() {
        assumeCapability(TransportCapability.DELAYED_DELIVERY);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS.withConcurrency(1));
        List<String> handled = new CopyOnWriteArrayList<>();
        processor.register(ParcelShipped.class, "parcels", (ParcelShipped e) -> handled.add(e.parcelId()));
        // Far enough out that the immediate event is handled long before, even on a slow machine.
        transport.eventBus().publish(ContractEvents.shipped(1), PublishOptions.deliverAfter(Duration.ofSeconds(5)));

        QueueStats waitingForIt = transport.admin().stats();
        assertEquals(1, waitingForIt.scheduled(), waitingForIt::toString);
        assertEquals(0, waitingForIt.waiting(), waitingForIt::toString);
        transport.eventBus().publish(ContractEvents.shipped(2));

        await().atMost(WAIT).until(() -> handled.contains("parcel-2"));
        QueueStats stats = awaitStats(transport, s -> s.completed() == 2);
        assertEquals(List.of("parcel-2", "parcel-1"), handled, "the slot was free for the immediate event");
        assertEquals(0, stats.scheduled());
        queue.awaitIdle(WAIT);
    }

    @Test
    @DisplayName("an id published again, delayed or not, while its delayed event waits is a duplicate, handled once")
    void aDelayedEventsIdPublishedAgainIsADuplicate() {
        assumeCapability(TransportCapability.DELAYED_DELIVERY);
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        AtomicInteger runs = new AtomicInteger();
        processor.register(ParcelShipped.class, "once", (ParcelShipped e) -> runs.incrementAndGet());
        ParcelShipped event = ContractEvents.shipped(1);

        assertEquals(PublishOutcome.PUBLISHED, transport.eventBus().publish(event, PublishOptions.deliverAfter(DELAY)));
        PublishOutcome delayedAgain = transport.eventBus().publish(event, PublishOptions.deliverAfter(DELAY));
        PublishOutcome immediateAgain = transport.eventBus().publish(event);

        if (capabilities().contains(TransportCapability.REPORTS_DUPLICATES)) {
            assertEquals(PublishOutcome.DUPLICATE, delayedAgain);
            assertEquals(PublishOutcome.DUPLICATE, immediateAgain);
        }
        awaitStats(transport, s -> s.completed() >= 1);
        queue.awaitIdle(WAIT);
        assertEquals(1, runs.get(), "handled once");
        assertEquals(1, transport.admin().stats().completed());
    }

    @Test
    @DisplayName("a delayed event outlives the transport that published it and is handled by the next one")
    void aDelayedEventSurvivesARestart() {
        assumeCapability(TransportCapability.DELAYED_DELIVERY);
        List<UUID> received = new CopyOnWriteArrayList<>();
        processor.register(ParcelShipped.class, "later", (ParcelShipped e) -> received.add(e.eventId()));
        QueuedTransport first = queue.connect(processor, QueueTestSettings.DEFAULTS);
        queue.startWorker(first);
        ParcelShipped event = ContractEvents.shipped(1);
        first.eventBus().publish(event, PublishOptions.deliverAfter(DELAY));
        first.close();

        QueuedTransport second = connectWithWorker(QueueTestSettings.DEFAULTS);

        QueueStats stats = awaitStats(second, s -> s.completed() == 1);
        queue.awaitIdle(WAIT);
        assertEquals(List.of(event.eventId()), received);
        assertEquals(0, stats.scheduled());
    }

    @Test
    @DisplayName("a transport that cannot delay refuses a delayed publish, naming itself, and delivers nothing")
    void aTransportThatCannotDelayRefusesADelayedPublish() {
        assumeTrue(!capabilities().contains(TransportCapability.DELAYED_DELIVERY),
                "the transport declares DELAYED_DELIVERY");
        QueuedTransport transport = connectWithWorker(QueueTestSettings.DEFAULTS);
        List<UUID> received = new CopyOnWriteArrayList<>();
        processor.register(ParcelShipped.class, "parcels", (ParcelShipped e) -> received.add(e.eventId()));
        ParcelShipped refused = ContractEvents.shipped(1);

        DelayedDeliveryUnsupportedException e = assertThrows(DelayedDeliveryUnsupportedException.class,
                () -> transport.eventBus().publish(refused, PublishOptions.deliverAfter(DELAY)));

        assertTrue(e.getMessage().contains(transport.eventBus().getClass().getName()), e.getMessage());
        ParcelShipped next = ContractEvents.shipped(2);
        assertEquals(PublishOutcome.PUBLISHED, transport.eventBus().publish(next, PublishOptions.NOW));
        awaitStats(transport, s -> s.completed() == 1);
        queue.awaitIdle(WAIT);
        assertEquals(List.of(next.eventId()), received, "the refused event was not delivered");
    }
}
