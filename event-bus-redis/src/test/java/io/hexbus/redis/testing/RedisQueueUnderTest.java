package io.hexbus.redis.testing;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.conformance.QueuedTransportUnderTest;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.engine.worker.EngineWorker;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/**
 * A queue of the Redis transport for {@link io.hexbus.api.conformance.QueuedTransportContract}: a key prefix of its
 * own on the shared test Redis, every transport it connects on that prefix and group, the keys deleted when it
 * closes. A crash is a close past a short shutdown deadline: the worker interrupts its handlers and leaves their
 * entries pending, unacknowledged, which is what a killed worker leaves (a real kill: {@code faults.ProcessFaultTest}).
 * Raw messages are entries written with {@code XADD}, as a foreign producer would.
 */
public final class RedisQueueUnderTest implements QueuedTransportUnderTest {

    private final RedisConnectionSettings connection = TestRedis.shared();
    private final RedisQueueSettings base = RedisTestTransport.testSettings();
    private final List<RedisTransport> transports = new CopyOnWriteArrayList<>();
    private final List<EngineWorker> workers = new CopyOnWriteArrayList<>();
    // Reads the statistics whatever the test closed: a transport of its own, with no worker.
    private final RedisTransport observer = RedisTransport.connect(connection, base,
            new DomainEventsProcessor(new EventTypeRegistry()));

    @Override
    public QueuedTransport connect(DomainEventsProcessor processor, QueueTestSettings settings) {
        RedisTransport transport = RedisTransport.connect(connection, base.withVisibilityTimeout(settings.leaseTimeout())
                .withShutdownDeadline(settings.shutdownDeadline()).withConcurrency(settings.concurrency()), processor);
        transports.add(transport);
        return transport;
    }

    @Override
    public QueueWorker startWorker(QueuedTransport transport) {
        EngineWorker worker = ((RedisTransport) transport).startWorker();
        workers.add(worker);
        return worker;
    }

    @Override
    public void crash(QueuedTransport transport) {
        transport.close();
    }

    @Override
    public Optional<Instant> brokerNow() {
        try (RawRedis raw = RawRedis.to(connection)) {
            List<String> time = raw.commands().time(); // seconds, microseconds
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(time.get(0)),
                    Long.parseLong(time.get(1)) * 1_000));
        }
    }

    @Override
    public void injectRaw(UUID eventId, String eventName, String body) {
        try (RawRedis raw = RawRedis.to(connection)) {
            raw.commands().xadd(base.keyPrefix() + ":stream", Map.of("i", eventId.toString(), "n", eventName,
                    "e", body));
        }
    }

    @Override
    public void awaitIdle(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
            QueueStats stats = observer.admin().stats();
            return stats.waiting() == 0 && stats.active() == 0 && stats.reserved() == 0 && stats.retryScheduled() == 0
                    && stats.scheduled() == 0
                    && workers.stream().allMatch(w -> w.inFlight() == 0);
        });
    }

    @Override
    public void close() {
        transports.forEach(RedisTransport::close);
        observer.close();
        RawRedis.deleteKeysUnder(connection, base.keyPrefix());
    }
}
