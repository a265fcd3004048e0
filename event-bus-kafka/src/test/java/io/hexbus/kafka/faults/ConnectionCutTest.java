package io.hexbus.kafka.faults;

import io.hexbus.api.testing.faults.Runs;
import io.hexbus.api.testing.faults.RunLog;
import io.hexbus.api.testing.faults.DeliveryAudit;
import io.hexbus.api.testing.faults.ParcelSent;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.testing.TestLogs;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.kafka.KafkaTransport;
import io.hexbus.kafka.testing.KafkaCluster;
import io.hexbus.kafka.testing.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole cluster cut off, on a private single-node cluster: the node killed (SIGKILL) and restarted on its ports
 * and data, or frozen (SIGSTOP) and thawed. Meanwhile a publish fails within a bounded time, as an
 * {@link EventPublishingException} naming the bootstrap servers with the transport-neutral cause; the worker that ran
 * before the cut handles everything once the node is back: every event whose publish returned, by both
 * subscriptions, and none again once recorded done ({@link DeliveryAudit}).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConnectionCutTest {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCutTest.class);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** Far above what a failing publish takes (about two command timeouts), far below a hang. */
    private static final Duration FAILS_WITHIN = Duration.ofSeconds(30);

    private static KafkaCluster cluster;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Set<UUID> acknowledged = new HashSet<>();
    private final Set<UUID> uncertain = new HashSet<>();
    private FaultQueue queue;
    private Path runs;
    private KafkaTransport transport;
    private StateTopicRecords state;

    @BeforeAll
    static void startCluster() {
        cluster = TestKafka.cluster(1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void startWorker() throws Exception {
        queue = FaultQueue.create(cluster.bootstrapServers(), 2, 1, 1, COMMAND_TIMEOUT);
        runs = TestLogs.file("runs");
        DomainEventsProcessor processor = FaultQueue.processor();
        closedAfter(RunLog.open(runs)).register(processor, Duration.ofMillis(5));
        transport = closedAfter(queue.connect(processor, 4));
        state = closedAfter(new StateTopicRecords(queue.servers(), queue.settings()));
        transport.startWorker();
    }

    @AfterEach
    void stopWorker() throws Exception {
        try {
            if (cluster.isRunning(1)) {
                cluster.thaw(1); // a frozen node would hold up every close below
            }
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
        } finally {
            if (!cluster.isRunning(1)) {
                cluster.restart(1); // for the next test
            }
        }
    }

    private <T extends AutoCloseable> T closedAfter(T resource) {
        resources.add(resource);
        return resource;
    }

    @Test
    void aKilledBrokerFailsPublishesNamingItAndTheWorkerHandlesEverythingOnceTheBrokerIsBack() {
        publishAndAwaitHandled(20);

        cluster.kill(1);
        EventPublishingException one = refused(() -> transport.eventBus().publish(event()));
        EventPublishingException batch = refused(() -> transport.eventBus().publishAll(List.of(event(), event())));
        LOG.info("With the broker killed: {} / {}", one.getMessage(), batch.getMessage());
        assertInstanceOf(TransportUnavailableException.class, one.getCause());
        assertInstanceOf(TransportUnavailableException.class, batch.getCause());
        cluster.restart(1);

        publishAndAwaitHandled(20);
        List<ParcelSent> pair = List.of(event(), event());
        await().atMost(WAIT).ignoreException(EventPublishingException.class).until(() ->
                transport.eventBus().publishAll(pair) != null); // a batch too: its transactions work again
        pair.forEach(e -> {
            uncertain.remove(e.eventId());
            acknowledged.add(e.eventId());
        });
        DeliveryAudit audit = awaitAudit();
        LOG.info("Broker killed and restarted: {}", audit.summary());
        audit.check();
        assertEquals(42, acknowledged.size());
    }

    @Test
    void aFrozenBrokerTimesPublishesOutAndTheWorkerHandlesEverythingOnceItIsThawed() {
        publishAndAwaitHandled(20);

        cluster.freeze(1);
        EventPublishingException one = refused(() -> transport.eventBus().publish(event()));
        LOG.info("With the broker frozen: {}", one.getMessage());
        assertInstanceOf(TransportTimeoutException.class, one.getCause());
        cluster.thaw(1);

        publishAndAwaitHandled(20);
        DeliveryAudit audit = awaitAudit();
        LOG.info("Broker frozen and thawed: {}", audit.summary());
        audit.check();
        assertEquals(40, acknowledged.size());
    }

    private ParcelSent event() {
        ParcelSent event = ParcelSent.numbered(acknowledged.size() + uncertain.size() + 1);
        uncertain.add(event.eventId()); // until its publish returns
        return event;
    }

    /** Publishes events, each until its publish returns (the first may meet a client still reconnecting). */
    private void publishAndAwaitHandled(int count) {
        EventBus bus = transport.eventBus();
        for (int i = 0; i < count; i++) {
            ParcelSent event = event();
            await().atMost(WAIT).ignoreException(EventPublishingException.class).until(() -> {
                bus.publish(event);
                return true;
            });
            uncertain.remove(event.eventId());
            acknowledged.add(event.eventId());
        }
        await().atMost(WAIT).until(() -> RunLog.SUBSCRIPTIONS.stream()
                .allMatch(s -> Runs.read(List.of(runs)).finished(s).containsAll(acknowledged)));
    }

    private EventPublishingException refused(Executable publish) {
        EventPublishingException thrown = assertTimeoutPreemptively(FAILS_WITHIN,
                () -> assertThrows(EventPublishingException.class, publish));
        assertTrue(thrown.getMessage().contains(" to Kafka at " + cluster.bootstrapServers() + ": "),
                thrown.getMessage());
        return thrown;
    }

    private DeliveryAudit awaitAudit() {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> new DeliveryAudit(acknowledged, uncertain, Runs.read(List.of(runs)), state.read()),
                        DeliveryAudit::complete);
    }
}
