package io.hexbus.engine.reference;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.backend.EnvelopeReader;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.engine.worker.EngineWorker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A queued transport over a {@link ReferenceQueue}, as one process connects to a broker: its bus encodes with the
 * codec and appends to the queue, its admin reads the queue, and its workers are {@link EngineWorker}s
 * on {@link ReferenceBackend}s. It exists to run the engine against the queued-transport contract without a
 * broker; it is no transport for users.
 *
 * <p>Thread-safe. Once closed, the bus and the admin fail as with a broker that cannot be used, and
 * {@link #startWorker()} with an {@link IllegalStateException}.
 */
final class ReferenceTransport implements QueuedTransport {

    private final ReferenceQueue queue;
    private final DomainEventsProcessor processor;
    private final EngineSettings settings;
    private final EventCodec codec;
    private final EnvelopeReader reader;
    private final EventBus bus = new EventBus() {
        @Override
        public List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
            return ReferenceTransport.this.publishAll(events);
        }

        @Override
        public void checkPublishable(List<? extends DomainEvent> events) {
            codec.encodeAll(events, Instant.now()); // cannot delay: refused after the checks of any publish
        }
    };
    private final QueueAdmin admin = new Admin();
    private final List<Running> workers = new ArrayList<>(); // guarded by itself
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean refusing;

    private record Running(EngineWorker worker, ReferenceBackend backend) {
    }

    /**
     * @param queue     the broker
     * @param processor the subscriptions its workers run, and the registry its codec writes and reads
     * @param settings  how its workers work
     */
    ReferenceTransport(ReferenceQueue queue, DomainEventsProcessor processor, EngineSettings settings) {
        this.queue = queue;
        this.processor = processor;
        this.settings = settings;
        this.codec = EventCodec.of(processor.eventTypes());
        this.reader = new ReferenceEnvelopeReader(codec);
    }

    /**
     * The engine's settings for a test: the knobs the test turns, and the rest short (fetches of 100 ms, a poll
     * of due retries every 20 ms) so that a worker closes and retries without delay.
     *
     * @param leaseTimeout     the visibility timeout
     * @param shutdownDeadline how long closing lets in-flight handlers finish
     * @param concurrency      handler slots per worker
     * @return the settings
     */
    static EngineSettings testSettings(Duration leaseTimeout, Duration shutdownDeadline, int concurrency) {
        return EngineSettings.defaults().withConcurrency(concurrency).withReadAhead(8)
                .withBlockTimeout(Duration.ofMillis(100)).withPollInterval(Duration.ofMillis(20))
                .withVisibilityTimeout(leaseTimeout).withShutdownDeadline(shutdownDeadline)
                .withCommandTimeout(Duration.ofSeconds(1)).withMaintenanceInterval(Duration.ofSeconds(1));
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public EventBus eventBus() {
        return bus;
    }

    @Override
    public QueueAdmin admin() {
        return admin;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if this transport is closed
     */
    @Override
    public EngineWorker startWorker() {
        synchronized (workers) {
            if (closing.get()) {
                throw new IllegalStateException("the reference transport is closed");
            }
            ReferenceBackend backend = new ReferenceBackend(queue, queue.newWorkerName(),
                    settings.visibilityTimeout());
            var worker = new EngineWorker(backend, reader, processor, settings,
                    backend.worker());
            worker.start();
            workers.add(new Running(worker, backend));
            return worker;
        }
    }

    /**
     * Kills this transport as a process dies: its workers are cut off the broker at once (every call of their
     * backends fails, so their leases lapse), then closed, so that their handlers stop by the shutdown deadline.
     */
    void crash() {
        synchronized (workers) {
            workers.forEach(running -> running.backend().crash());
        }
        close();
    }

    /** Closes the workers (all stop fetching first, then each drains), then refuses every call. Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        try {
            List<Running> started;
            synchronized (workers) {
                started = List.copyOf(workers);
            }
            started.forEach(running -> running.worker().stopFetching());
            started.forEach(running -> running.worker().close());
        } finally {
            refusing = true;
            closed.countDown();
        }
    }

    private void awaitClosed() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void reachable() {
        if (refusing) {
            throw new TransportUnavailableException("the reference transport is closed", null);
        }
    }

    /** Encodes and checks every event first (type, size, JSON), then appends the batch in one step. */
    private List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return List.of();
        }
        Instant publishedAt = Instant.now();
        List<EncodedEvent> encoded = codec.encodeAll(events, publishedAt, processor.tracing());
        List<Boolean> duplicates;
        try {
            reachable();
            duplicates = queue.publish(encoded.stream()
                    .map(e -> new ReferenceQueue.Entry(e.eventId().toString(), e.name(), e.json())).toList());
        } catch (TransportUnavailableException e) {
            throw new EventPublishingException("could not publish " + events.size() + " event(s): "
                    + e.getMessage(), e);
        }
        DeliveryObserver observer = processor.observer();
        List<PublishOutcome> outcomes = new ArrayList<>(encoded.size());
        for (int i = 0; i < encoded.size(); i++) {
            boolean duplicate = duplicates.get(i);
            observer.published(encoded.get(i).name(), encoded.get(i).eventId(), duplicate);
            outcomes.add(duplicate ? PublishOutcome.DUPLICATE : PublishOutcome.PUBLISHED);
        }
        return List.copyOf(outcomes);
    }

    /** The admin of the queue's group: arguments checked first, then the queue, or a refusal once closed. */
    private final class Admin implements QueueAdmin {

        @Override
        public QueueStats stats() {
            reachable();
            return queue.stats();
        }

        @Override
        public List<SubscriptionStats> subscriptionStats() {
            reachable();
            return queue.subscriptionStats();
        }

        @Override
        public Optional<EventProgress> eventProgress(UUID eventId) {
            Objects.requireNonNull(eventId, "eventId");
            reachable();
            return queue.eventProgress(eventId, name -> processor.subscriptionsFor(name).stream()
                    .map(Subscription::name).toList());
        }

        @Override
        public DeadLetterPage deadLetters(int offset, int limit) {
            DeadLetterPage.checkRequest(offset, limit);
            reachable();
            return queue.deadLetters(offset, limit);
        }

        @Override
        public Optional<DeadLetter> deadLetter(UUID eventId) {
            Objects.requireNonNull(eventId, "eventId");
            reachable();
            return queue.deadLetter(eventId);
        }

        @Override
        public boolean retry(UUID eventId) {
            Objects.requireNonNull(eventId, "eventId");
            reachable();
            return queue.retry(eventId);
        }

        @Override
        public int retryAll() {
            reachable();
            return queue.retryAll();
        }

        @Override
        public boolean remove(UUID eventId) {
            Objects.requireNonNull(eventId, "eventId");
            reachable();
            return queue.remove(eventId);
        }

        @Override
        public int cleanDeadLetters(Duration age) {
            QueueAdmin.checkCleanAge(age);
            reachable();
            return queue.cleanDeadLetters(age);
        }
    }
}
