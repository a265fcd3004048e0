package io.hexbus.engine.reference;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.NonRetryableException;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.ProgressUpdate;
import io.hexbus.engine.backend.Acknowledgement;
import io.hexbus.engine.backend.DeadLetterRecord;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.engine.backend.Fenced;
import io.hexbus.engine.backend.QueueBackend;
import io.hexbus.engine.stats.SubscriptionActivity;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.engine.worker.EngineWorker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's worker on the reference backend, where the queued-transport contract does not reach: a broker that
 * does not take a write, a lease lost at the acknowledgement, a message that kills every worker that takes it.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class EngineWorkerOnReferenceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Short: renewed every 100 ms, so a worker that stopped renewing loses a message within a test's wait. */
    private static final Duration LEASE = Duration.ofMillis(300);

    private final ReferenceQueue queue = new ReferenceQueue("engine-test", Clock.systemUTC(), Duration.ofDays(7));
    private final DomainEventsProcessor processor = new DomainEventsProcessor(
            new EventTypeRegistry().register(ParcelShipped.class));
    private final EngineSettings settings = ReferenceTransport.testSettings(LEASE, Duration.ofSeconds(5), 2);
    private final ReferenceTransport publisher = new ReferenceTransport(queue, processor, settings);
    private final List<EngineWorker> workers = new CopyOnWriteArrayList<>();
    private final List<ReferenceTransport> transports = new CopyOnWriteArrayList<>(List.of(publisher));

    @AfterEach
    void closeEverything() {
        workers.forEach(EngineWorker::close);
        transports.forEach(ReferenceTransport::close);
    }

    @Test
    @DisplayName("a retry the broker does not take is written again while the worker keeps the message and its lease")
    void aRescheduleThatFailsIsWrittenAgainWithoutRunningTheRoundTwice() {
        AtomicInteger steadyRuns = new AtomicInteger();
        AtomicInteger flakyRuns = new AtomicInteger();
        processor.register(ParcelShipped.class, "steady", (ParcelShipped e) -> steadyRuns.incrementAndGet());
        processor.register(ParcelShipped.class, "flaky", (ParcelShipped e) -> {
            if (flakyRuns.incrementAndGet() == 1) {
                throw new IllegalStateException("first try fails");
            }
        }, SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(50))));
        // The broker refuses the write for three lease timeouts: only renewing keeps the message from a takeover.
        AtomicInteger reschedules = new AtomicInteger();
        AtomicLong refusingUntil = new AtomicLong(Long.MAX_VALUE);
        CountDownLatch firstRefusal = new CountDownLatch(1);
        startWorker(new ForwardingBackend(backend()) {
            @Override
            public Fenced reschedule(Delivery delivery, ProgressUpdate update, long delayMillis, int failed) {
                int call = reschedules.incrementAndGet();
                if (call == 1) {
                    refusingUntil.set(System.nanoTime() + 3 * LEASE.toNanos());
                    firstRefusal.countDown();
                }
                if (System.nanoTime() - refusingUntil.get() < 0) {
                    throw new TransportUnavailableException("broker refused the write, try " + call, null);
                }
                return super.reschedule(delivery, update, delayMillis, failed);
            }
        });

        publisher.eventBus().publish(ContractEvents.shipped(1));
        awaitLatch(firstRefusal);
        startWorker(backend()); // another worker, which would take the message over if its lease lapsed

        QueueStats stats = await().atMost(WAIT).until(queue::stats, s -> s.completed() == 1);
        assertTrue(reschedules.get() >= 3, "refused writes, written again until taken: " + reschedules.get());
        assertEquals(1, steadyRuns.get(), "the subscription that succeeded is in the write, not run again");
        assertEquals(2, flakyRuns.get());
        assertEquals(0, stats.takeovers(), "the worker renewed the lease while it wrote again");
        assertEquals(1, stats.failedAttempts());
    }

    @Test
    @DisplayName("a retry applied although its answer was lost, written again after a new claim, is refused: the new"
            + " round stands")
    void aRetryWrittenAgainAfterTheMessageWasClaimedAnewIsRefused() {
        AtomicInteger steadyRuns = new AtomicInteger();
        AtomicInteger flakyRuns = new AtomicInteger();
        CountDownLatch writtenAgain = new CountDownLatch(1);
        processor.register(ParcelShipped.class, "steady", (ParcelShipped e) -> steadyRuns.incrementAndGet());
        processor.register(ParcelShipped.class, "flaky", (ParcelShipped e) -> {
            int run = flakyRuns.incrementAndGet();
            if (run == 1) {
                throw new IllegalStateException("first try fails");
            }
            if (run == 2) { // the retry's round finishes only after the stale write came in
                assertTrue(writtenAgain.await(30, TimeUnit.SECONDS));
            }
        }, SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(10))));
        List<Fenced> answers = new CopyOnWriteArrayList<>();
        startWorker(new ForwardingBackend(backend()) {
            @Override
            public Fenced reschedule(Delivery delivery, ProgressUpdate update, long delayMillis, int failed) {
                Fenced answer = super.reschedule(delivery, update, delayMillis, failed);
                answers.add(answer);
                if (answers.size() == 1) {
                    // Applied, but the answer is lost until the retry was claimed (by this same worker).
                    await().atMost(WAIT).until(() -> queue.ownerOf(delivery.id()).isPresent());
                    throw new TransportUnavailableException("the broker's answer was lost", null);
                }
                writtenAgain.countDown();
                return answer;
            }
        });

        publisher.eventBus().publish(ContractEvents.shipped(1));

        QueueStats stats = await().atMost(WAIT).until(queue::stats, s -> s.completed() == 1);
        assertEquals(List.of(Fenced.WRITTEN, Fenced.LEASE_LOST), answers, "the stale write names an earlier lease");
        assertEquals(1, steadyRuns.get());
        assertEquals(2, flakyRuns.get(), "the retry's round was not undone and run again");
        assertEquals(1, stats.failedAttempts());
        assertEquals(0, stats.takeovers());
    }

    @Test
    @DisplayName("a dead letter the broker does not take is written again, and the event is dead-lettered once")
    void aDeadLetterThatFailsIsWrittenAgain() {
        AtomicInteger runs = new AtomicInteger();
        processor.register(ParcelShipped.class, "rejects", (ParcelShipped e) -> {
            runs.incrementAndGet();
            throw new NonRetryableException("no address");
        });
        AtomicInteger writes = new AtomicInteger();
        startWorker(new ForwardingBackend(backend()) {
            @Override
            public Fenced deadLetter(Delivery delivery, DeadLetterRecord record) {
                if (writes.incrementAndGet() <= 2) {
                    throw new TransportUnavailableException("broker refused the dead letter", null);
                }
                return super.deadLetter(delivery, record);
            }
        });
        ParcelShipped event = ContractEvents.shipped(1);

        publisher.eventBus().publish(event);

        QueueStats stats = await().atMost(WAIT).until(queue::stats, s -> s.deadLettered() == 1);
        DeadLetter dead = queue.deadLetter(event.eventId()).orElseThrow();
        assertEquals(3, writes.get());
        assertEquals(1, runs.get());
        assertEquals(1, stats.failedAttempts(), "the failed attempt is counted once, with the write that was taken");
        assertEquals(List.of("rejects"), dead.failedSubscriptions());
        assertTrue(dead.lastError().contains("no address"), dead.lastError());
    }

    @Test
    @DisplayName("an acknowledgement refused for a lost lease is not written again; the worker lets the message go")
    void anAcknowledgementRefusedForALostLeaseIsNotRetried() {
        CountDownLatch handled = new CountDownLatch(1);
        processor.register(ParcelShipped.class, "ship", (ParcelShipped e) -> handled.countDown());
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        List<String> lost = new CopyOnWriteArrayList<>();
        EngineWorker worker = startWorker(new ForwardingBackend(backend()) {
            @Override
            public Set<String> acknowledge(Collection<Acknowledgement> done) {
                // Another worker took each message over just before the acknowledgement reached the broker.
                done.forEach(ack -> queue.steal(ack.delivery().id(), "thief", Duration.ofMinutes(1)));
                done.forEach(ack -> acknowledged.add(ack.delivery().id()));
                Set<String> refused = super.acknowledge(done);
                lost.addAll(refused);
                return refused;
            }
        });

        publisher.eventBus().publish(ContractEvents.shipped(1));
        awaitLatch(handled);
        await().atMost(WAIT).until(() -> !acknowledged.isEmpty() && worker.inFlight() == 0);
        worker.close(); // flushes whatever the acknowledger still has: a retry would show here

        assertEquals(1, acknowledged.size(), "acknowledged once: " + acknowledged);
        assertEquals(acknowledged, lost);
        assertEquals("thief", queue.ownerOf(acknowledged.get(0)).orElseThrow(), "the thief's lease is untouched");
        QueueStats stats = queue.stats();
        assertEquals(0, stats.completed());
        assertEquals(1, stats.reserved(), "held by the thief");
    }

    @Test
    @DisplayName("a message that stops every worker that takes it is dead-lettered once taken over more than allowed")
    void aMessageThatKeepsStoppingItsWorkersIsDeadLetteredAfterMaxTakeovers() throws Exception {
        Semaphore started = new Semaphore(0);
        AtomicInteger runs = new AtomicInteger();
        processor.register(ParcelShipped.class, "ship", (ParcelShipped e) -> {
            runs.incrementAndGet();
            started.release();
            new CountDownLatch(1).await(); // until its worker dies
        });
        EngineSettings oneTakeover = ReferenceTransport.testSettings(LEASE, Duration.ofMillis(100), 1)
                .withMaxTakeovers(1);
        ParcelShipped event = ContractEvents.shipped(1);

        ReferenceTransport first = transport(oneTakeover);
        first.startWorker();
        publisher.eventBus().publish(event);
        assertTrue(started.tryAcquire(30, TimeUnit.SECONDS));
        first.crash();
        ReferenceTransport second = transport(oneTakeover);
        second.startWorker();
        assertTrue(started.tryAcquire(30, TimeUnit.SECONDS), "the first takeover runs it again");
        second.crash();
        transport(oneTakeover).startWorker();

        DeadLetter dead = await().atMost(WAIT).until(() -> queue.deadLetter(event.eventId()), d -> d.isPresent())
                .orElseThrow();
        assertEquals(2, runs.get(), "the second takeover dead-letters it without running it");
        assertEquals(List.of("ship"), dead.failedSubscriptions());
        QueueStats stats = queue.stats();
        assertEquals(2, stats.takeovers());
        assertEquals(0, stats.failedAttempts(), "no attempt failed: the workers died");
    }

    @Test
    @DisplayName("an acknowledgement that fails with a backend's bug is logged and tried again: the worker goes on")
    void anAcknowledgementThatFailsWithABugIsTriedAgain() {
        AtomicInteger runs = new AtomicInteger();
        processor.register(ParcelShipped.class, "mail", (ParcelShipped e) -> runs.incrementAndGet());
        AtomicInteger acknowledgements = new AtomicInteger();
        startWorker(new ForwardingBackend(backend()) {
            @Override
            public Set<String> acknowledge(Collection<Acknowledgement> done) {
                if (acknowledgements.incrementAndGet() == 1) {
                    throw new IllegalStateException("a bug in the backend");
                }
                return super.acknowledge(done);
            }
        });

        publisher.eventBus().publish(ContractEvents.shipped(1));

        await().atMost(WAIT).until(queue::stats, s -> s.completed() == 1);
        assertEquals(2, acknowledgements.get());
        assertEquals(1, runs.get());
    }

    @Test
    @DisplayName("a message taken over before a read failed in the same poll is run, not dropped with its room")
    void aTakeoverBeforeAFailedReadInTheSamePollIsRun() {
        Semaphore started = new Semaphore(0);
        AtomicInteger runs = new AtomicInteger();
        processor.register(ParcelShipped.class, "ship", (ParcelShipped e) -> {
            if (runs.incrementAndGet() == 1) {
                started.release();
                new CountDownLatch(1).await(); // until its worker dies
            }
        });
        ReferenceTransport first = transport(ReferenceTransport.testSettings(LEASE, Duration.ofMillis(100), 1));
        first.startWorker();
        publisher.eventBus().publish(ContractEvents.shipped(1));
        awaitSemaphore(started);
        first.crash();
        AtomicInteger failedReads = new AtomicInteger();
        startWorker(new ForwardingBackend(backend()) {
            @Override
            public List<Delivery> claimDue(int max) {
                failedReads.incrementAndGet();
                throw new TransportUnavailableException("the broker went away after the takeover", null);
            }
        });

        await().atMost(WAIT).until(queue::stats, s -> s.completed() == 1);
        assertEquals(2, runs.get(), "taken over once, and run");
        assertTrue(failedReads.get() >= 1);
        assertEquals(1, queue.stats().takeovers());
    }

    @Test
    @DisplayName("an observer added after the worker started hears of every handler run and dead letter")
    void anObserverAddedAfterTheWorkerStartedHearsOfDeadLetters() {
        processor.register(ParcelShipped.class, "rejects", (ParcelShipped e) -> {
            throw new NonRetryableException("no address");
        });
        startWorker(backend());
        List<String> heard = new CopyOnWriteArrayList<>();
        processor.addObserver(new io.hexbus.api.handling.DeliveryObserver() {
            @Override
            public void handled(String subscription, String eventName, long nanos, Throwable failure) {
                heard.add("handled " + subscription);
            }

            @Override
            public void deadLettered(String eventName, List<String> subscriptions) {
                heard.add("dead-lettered " + subscriptions);
            }
        });

        publisher.eventBus().publish(ContractEvents.shipped(1));

        await().atMost(WAIT).until(() -> heard.contains("dead-lettered [rejects]"));
        assertEquals(List.of("handled rejects", "dead-lettered [rejects]"), heard);
    }

    @Test
    @DisplayName("while every slot and the read-ahead are taken, the fetcher lets the backend service its connection")
    void aWorkerWithNoRoomCallsIdleInsteadOfFetching() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        processor.register(ParcelShipped.class, "slow", (ParcelShipped e) -> release.await());
        AtomicInteger idles = new AtomicInteger();
        AtomicInteger fetchesWhileFull = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean();
        EngineWorker worker = startWorker(new ForwardingBackend(backend()) {
            @Override
            public List<Delivery> fetch(int max, Duration block) {
                if (full.get()) {
                    fetchesWhileFull.incrementAndGet();
                }
                return super.fetch(max, block);
            }

            @Override
            public void idle() {
                idles.incrementAndGet();
            }
        });
        int room = settings.concurrency() + settings.readAhead();
        for (int i = 0; i < room; i++) {
            publisher.eventBus().publish(ContractEvents.shipped(i));
        }
        await().atMost(WAIT).until(() -> worker.inFlight() == room);
        full.set(true);
        int before = idles.get();

        await().atMost(WAIT).until(() -> idles.get() > before + 2);
        assertEquals(0, fetchesWhileFull.get(), "no fetch without room");
        release.countDown();
        await().atMost(WAIT).until(queue::stats, s -> s.completed() == room);
    }

    @Test
    @DisplayName("a worker with every slot busy still releases due messages, and reports which messages run")
    void aWorkerWithNoRoomStillReleasesDueMessagesAndReportsTheRunningIds() {
        CountDownLatch release = new CountDownLatch(1);
        processor.register(ParcelShipped.class, "slow", (ParcelShipped e) -> release.await());
        AtomicInteger releasesWhileFull = new AtomicInteger();
        AtomicBoolean full = new AtomicBoolean();
        List<List<String>> reports = new CopyOnWriteArrayList<>();
        List<String> fetched = new CopyOnWriteArrayList<>();
        EngineSettings oneSlot = settings.withConcurrency(1).withReadAhead(0);
        startWorker(new ForwardingBackend(backend()) {
            @Override
            public List<Delivery> fetch(int max, Duration block) {
                List<Delivery> read = super.fetch(max, block);
                read.forEach(d -> fetched.add(d.id()));
                return read;
            }

            @Override
            public void releaseDue() {
                if (full.get()) {
                    releasesWhileFull.incrementAndGet();
                }
            }

            @Override
            public void reportRunning(List<String> runningIds) {
                reports.add(List.copyOf(runningIds));
                super.reportRunning(runningIds);
            }
        }, oneSlot);
        publisher.eventBus().publish(ContractEvents.shipped(1));
        await().atMost(WAIT).until(() -> !reports.isEmpty() && reports.get(reports.size() - 1).size() == 1);
        full.set(true);

        await().atMost(WAIT).until(() -> releasesWhileFull.get() >= 2);
        assertEquals(List.of(fetched), List.of(reports.get(reports.size() - 1)), "the running message's id");
        release.countDown();
        await().atMost(WAIT).until(() -> reports.get(reports.size() - 1).isEmpty());
    }

    @Test
    @DisplayName("without read-ahead, a worker reads only what its free slots can start")
    void aWorkerWithoutReadAheadHoldsNoMoreThanItsSlots() {
        CountDownLatch release = new CountDownLatch(1);
        processor.register(ParcelShipped.class, "slow", (ParcelShipped e) -> release.await());
        AtomicInteger largestAsk = new AtomicInteger();
        EngineSettings noReadAhead = settings.withReadAhead(0);
        EngineWorker worker = startWorker(new ForwardingBackend(backend()) {
            @Override
            public List<Delivery> fetch(int max, Duration block) {
                largestAsk.accumulateAndGet(max, Math::max);
                return super.fetch(max, block);
            }
        }, noReadAhead);
        int slots = noReadAhead.concurrency();
        for (int i = 0; i < slots * 3; i++) {
            publisher.eventBus().publish(ContractEvents.shipped(i));
        }
        await().atMost(WAIT).until(() -> worker.inFlight() == slots);

        assertTrue(largestAsk.get() <= slots, "asked for " + largestAsk.get() + " with " + slots + " slots");
        assertEquals(slots, worker.inFlight(), "nothing read ahead of the busy slots");
        release.countDown();
        await().atMost(WAIT).until(queue::stats, s -> s.completed() == slots * 3L);
    }

    @Test
    @DisplayName("messages the backend hands over as the read's answer arrives start their handlers before the fetch"
            + " returns")
    void messagesHandedOverOnArrivalStartBeforeTheFetchReturns() {
        CountDownLatch handled = new CountDownLatch(1);
        processor.register(ParcelShipped.class, "ship", (ParcelShipped e) -> handled.countDown());
        AtomicBoolean startedBeforeReturn = new AtomicBoolean();
        startWorker(new ForwardingBackend(backend()) {
            @Override
            public List<Delivery> fetch(int max, Duration block, Consumer<List<Delivery>> arrived) {
                List<Delivery> read = super.fetch(max, block);
                if (!read.isEmpty()) {
                    runOnAnotherThread(() -> arrived.accept(read)); // as a client's I/O thread would
                    try {
                        startedBeforeReturn.compareAndSet(false, handled.await(30, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return read;
            }
        });

        publisher.eventBus().publish(ContractEvents.shipped(1));

        QueueStats stats = await().atMost(WAIT).until(queue::stats, s -> s.completed() == 1);
        assertTrue(startedBeforeReturn.get(), "the handler ran while the fetch had not returned yet");
        assertEquals(0, stats.takeovers());
    }

    @Test
    @DisplayName("messages handed over just as the read failed are run once, held by their worker")
    void messagesHandedOverAsTheReadFailedAreRunOnce() {
        AtomicInteger runs = new AtomicInteger();
        processor.register(ParcelShipped.class, "ship", (ParcelShipped e) -> runs.incrementAndGet());
        AtomicBoolean failedOnce = new AtomicBoolean();
        startWorker(new ForwardingBackend(backend()) {
            @Override
            public List<Delivery> fetch(int max, Duration block, Consumer<List<Delivery>> arrived) {
                List<Delivery> read = super.fetch(max, block);
                if (!read.isEmpty() && failedOnce.compareAndSet(false, true)) {
                    runOnAnotherThread(() -> arrived.accept(read));
                    throw new TransportUnavailableException("the answer came as the read timed out", null);
                }
                return read;
            }
        });

        for (int i = 0; i < 3; i++) {
            publisher.eventBus().publish(ContractEvents.shipped(i));
        }

        QueueStats stats = await().atMost(WAIT).until(queue::stats, s -> s.completed() == 3);
        assertTrue(failedOnce.get());
        assertEquals(3, runs.get(), "each once");
        assertEquals(0, stats.takeovers(), "held and renewed by the worker that read them, not left to lapse");
    }

    private static void runOnAnotherThread(Runnable task) {
        Thread thread = new Thread(task, "test-client-io");
        thread.start();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void awaitSemaphore(Semaphore semaphore) {
        try {
            assertTrue(semaphore.tryAcquire(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("a subscription report the broker does not take is sent again as it was, with its number, before"
            + " any later one; a closing worker's last report carries no window")
    void aFailedActivityReportIsSentAgainUnchangedAndTheLastHasNoWindow() {
        processor.register(ParcelShipped.class, "count", (ParcelShipped e) -> {
        });
        List<SubscriptionActivity> tried = new CopyOnWriteArrayList<>();
        EngineWorker worker = startWorker(new ForwardingBackend(backend()) {
            @Override
            public void reportActivity(SubscriptionActivity activity) {
                tried.add(activity);
                if (tried.size() == 1) {
                    throw new TransportUnavailableException("reference broker refused the report", null);
                }
                super.reportActivity(activity);
            }
        });
        publisher.eventBus().publish(ContractEvents.shipped(1));

        await().atMost(Duration.ofSeconds(30)).until(() -> tried.size() >= 2);
        assertEquals(tried.get(0), tried.get(1), "the same report, its number included");
        assertEquals(1, tried.get(0).counts().get("count").handled(), tried::toString);
        long first = tried.get(0).sequence();
        publisher.eventBus().publish(ContractEvents.shipped(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> tried.stream()
                .anyMatch(a -> a.sequence() > first && !a.counts().isEmpty()));
        SubscriptionActivity second = tried.stream().filter(a -> a.sequence() > first && !a.counts().isEmpty())
                .findFirst().orElseThrow();
        assertEquals(1, second.counts().get("count").handled(), "only the run the stored report did not hold");

        worker.close();

        SubscriptionActivity last = tried.get(tried.size() - 1);
        assertTrue(last.windows().isEmpty(), "the last report withdraws the windows: " + last);
        assertEquals(2, queue.subscriptionStats().get(0).handled(), "each run counted once");
    }

    private ReferenceBackend backend() {
        return new ReferenceBackend(queue, queue.newWorkerName(), LEASE);
    }

    private ReferenceTransport transport(EngineSettings transportSettings) {
        ReferenceTransport transport = new ReferenceTransport(queue, processor, transportSettings);
        transports.add(transport);
        return transport;
    }

    private EngineWorker startWorker(QueueBackend backend) {
        return startWorker(backend, settings);
    }

    private EngineWorker startWorker(QueueBackend backend, EngineSettings workerSettings) {
        String name = backend instanceof ForwardingBackend forwarding ? forwarding.delegate.worker()
                : ((ReferenceBackend) backend).worker();
        EngineWorker worker = new EngineWorker(backend, new ReferenceEnvelopeReader(
                EventCodec.of(processor.eventTypes())), processor, workerSettings, name);
        worker.start();
        workers.add(worker);
        return worker;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
