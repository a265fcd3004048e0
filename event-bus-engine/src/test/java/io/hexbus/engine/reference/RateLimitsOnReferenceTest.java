package io.hexbus.engine.reference;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RateLimit;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.engine.worker.EngineWorker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate limits in the engine's worker where the contract does not reach: a backend that does not enforce them (a
 * worker refused at start; a subscription registered after the start), and a broker that cannot be asked for a
 * permit.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class RateLimitsOnReferenceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final SubscriptionOptions LIMITED = SubscriptionOptions.DEFAULT
            .withRateLimit(RateLimit.of(2, Duration.ofSeconds(1)));

    private final ReferenceQueue queue = new ReferenceQueue("rate-test", Clock.systemUTC(), Duration.ofDays(7));
    private final DomainEventsProcessor processor = new DomainEventsProcessor(
            new EventTypeRegistry().register(ParcelShipped.class));
    private final EngineSettings settings = ReferenceTransport.testSettings(LEASE, Duration.ofSeconds(5), 2);
    private final ReferenceTransport publisher = new ReferenceTransport(queue, processor, settings);
    private final List<EngineWorker> workers = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeEverything() {
        workers.forEach(EngineWorker::close);
        publisher.close();
    }

    @Test
    @DisplayName("a backend without rate limits: the worker is refused at start, naming the subscription and broker")
    void aWorkerIsRefusedAtStartWhenItsBackendCannotLimit() {
        processor.register(ParcelShipped.class, "calls-carrier", (ParcelShipped e) -> {
        }, LIMITED);
        Unlimiting backend = new Unlimiting(newBackend(), false);
        EngineWorker worker = worker(backend);

        IllegalStateException refused = assertThrows(IllegalStateException.class, worker::start);

        assertEquals("subscription 'calls-carrier' has a rate limit (2 per PT1S), which the unlimiting transport does"
                + " not enforce: remove the limit, or run this subscription on a transport that enforces rate limits"
                + " (Redis)", refused.getMessage());
        assertFalse(backend.opened.get(), "refused before it touched the broker");
        assertTrue(backend.closed.get(), "a start that fails leaves nothing open");
    }

    @Test
    @DisplayName("a backend without rate limits: a limited subscription registered after the start is dead-lettered,"
            + " never run unlimited")
    void aLimitedSubscriptionRegisteredAfterTheStartIsDeadLetteredWithTheReason() {
        AtomicInteger auditRuns = new AtomicInteger();
        AtomicInteger limitedRuns = new AtomicInteger();
        processor.register(ParcelShipped.class, "audit", (ParcelShipped e) -> auditRuns.incrementAndGet());
        start(new Unlimiting(newBackend(), false));
        processor.register(ParcelShipped.class, "calls-carrier", (ParcelShipped e) -> limitedRuns.incrementAndGet(),
                LIMITED);
        ParcelShipped event = ContractEvents.shipped(1);

        publisher.eventBus().publish(event);

        await().atMost(WAIT).until(() -> queue.stats().deadLettered() == 1);
        DeadLetter dead = queue.deadLetter(event.eventId()).orElseThrow();
        assertEquals(List.of("calls-carrier"), dead.failedSubscriptions());
        assertTrue(dead.lastError().contains("subscription 'calls-carrier' has a rate limit (2 per PT1S), which the"
                + " unlimiting transport does not enforce"), dead.lastError());
        assertEquals(0, limitedRuns.get(), "never run without its limit");
        assertEquals(1, auditRuns.get());
    }

    @Test
    @DisplayName("a permit the broker cannot be asked for is not taken: the subscription waits, and no attempt fails")
    void aPermitThatCannotBeAskedForPostponesTheSubscription() {
        AtomicInteger limitedRuns = new AtomicInteger();
        processor.register(ParcelShipped.class, "calls-carrier", (ParcelShipped e) -> limitedRuns.incrementAndGet(),
                LIMITED);
        AtomicInteger permitCalls = new AtomicInteger();
        start(new Unlimiting(newBackend(), true) {
            @Override
            public long acquirePermit(String subscription, RateLimit limit) {
                if (permitCalls.incrementAndGet() == 1) {
                    throw new TransportUnavailableException("broker unreachable for the permit", null);
                }
                return super.acquirePermit(subscription, limit);
            }
        });

        publisher.eventBus().publish(ContractEvents.shipped(1));

        QueueStats stats = await().atMost(WAIT).until(queue::stats, s -> s.completed() == 1);
        assertEquals(2, permitCalls.get(), "asked again once its wait was over");
        assertEquals(1, limitedRuns.get());
        assertEquals(0, stats.failedAttempts(), "a permit not had is no failed attempt");
    }

    private ReferenceBackend newBackend() {
        return new ReferenceBackend(queue, queue.newWorkerName(), LEASE);
    }

    private EngineWorker worker(Unlimiting backend) {
        return new EngineWorker(backend, new ReferenceEnvelopeReader(EventCodec.of(processor.eventTypes())),
                processor, settings, backend.delegate.worker());
    }

    private void start(Unlimiting backend) {
        EngineWorker worker = worker(backend);
        worker.start();
        workers.add(worker);
    }

    /** The reference backend, with or without its rate limits; records whether it was opened and closed. */
    private static class Unlimiting extends ForwardingBackend {
        final boolean limits;
        final AtomicBoolean opened = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();

        Unlimiting(ReferenceBackend delegate, boolean limits) {
            super(delegate);
            this.limits = limits;
        }

        @Override
        public boolean supportsRateLimits() {
            return limits;
        }

        @Override
        public String brokerName() {
            return "unlimiting";
        }

        @Override
        public void open() {
            opened.set(true);
            super.open();
        }

        @Override
        public void close() {
            closed.set(true);
            super.close();
        }
    }
}
