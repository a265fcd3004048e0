package io.hexbus.engine.reference;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.conformance.QueuedTransportUnderTest;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.engine.worker.EngineWorker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/**
 * A queue of the reference backend for {@link io.hexbus.api.conformance.QueuedTransportContract}: a
 * {@link ReferenceQueue} of its own, every transport it connects on it, as processes of one application. A crash
 * cuts the transport's workers off the queue at once ({@link ReferenceTransport#crash()}); raw messages are
 * appended to the queue unchecked.
 */
final class ReferenceQueueUnderTest implements QueuedTransportUnderTest {

    private final ReferenceQueue queue = new ReferenceQueue("reference-group", Clock.systemUTC(), Duration.ofDays(7));
    private final List<ReferenceTransport> transports = new CopyOnWriteArrayList<>();
    private final List<EngineWorker> workers = new CopyOnWriteArrayList<>();

    /** @return the broker, for assertions on it */
    ReferenceQueue queue() {
        return queue;
    }

    @Override
    public QueuedTransport connect(DomainEventsProcessor processor, QueueTestSettings settings) {
        ReferenceTransport transport = new ReferenceTransport(queue, processor, ReferenceTransport.testSettings(
                settings.leaseTimeout(), settings.shutdownDeadline(), settings.concurrency()));
        transports.add(transport);
        return transport;
    }

    @Override
    public QueueWorker startWorker(QueuedTransport transport) {
        EngineWorker worker = ((ReferenceTransport) transport).startWorker();
        workers.add(worker);
        return worker;
    }

    @Override
    public void crash(QueuedTransport transport) {
        ((ReferenceTransport) transport).crash();
    }

    @Override
    public void injectRaw(UUID eventId, String eventName, String body) {
        queue.inject(eventId.toString(), eventName, body);
    }

    @Override
    public void awaitIdle(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
            QueueStats stats = queue.stats();
            return stats.waiting() == 0 && stats.active() == 0 && stats.reserved() == 0 && stats.retryScheduled() == 0
                    && workers.stream().allMatch(w -> w.inFlight() == 0);
        });
    }

    @Override
    public void close() {
        transports.forEach(ReferenceTransport::close);
    }
}
