package io.hexbus.rabbitmq;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.rabbitmq.testing.RabbitQueueUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Per-subscription statistics on a real broker: the counts of a worker that stopped stay in the totals, a new
 * worker's add to them, and an admin connected afterwards reads the same from the stats stream.
 */
class RabbitSubscriptionStatsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RabbitQueueUnderTest queue = new RabbitQueueUnderTest();

    @AfterEach
    void close() {
        queue.close();
    }

    @Test
    void theCountsOfAStoppedWorkerStayAndANewWorkersAddToThem() {
        DomainEventsProcessor processor = new DomainEventsProcessor(
                new EventTypeRegistry().register(ParcelShipped.class));
        processor.register(ParcelShipped.class, "count", (ParcelShipped e) -> {
        });
        QueuedTransport transport = queue.connect(processor, QueueTestSettings.DEFAULTS);
        QueueAdmin admin = transport.admin();

        QueueWorker first = queue.startWorker(transport);
        transport.eventBus().publishAll(IntStream.range(0, 3).mapToObj(ContractEvents::shipped).toList());
        await().atMost(WAIT).until(() -> handled(admin) == 3);
        first.close();

        queue.startWorker(transport);
        transport.eventBus().publishAll(IntStream.range(3, 5).mapToObj(ContractEvents::shipped).toList());
        await().atMost(WAIT).until(() -> handled(admin) == 5);

        QueuedTransport later = queue.connect(processor, QueueTestSettings.DEFAULTS);
        List<SubscriptionStats> read = later.admin().subscriptionStats();
        assertEquals(List.of("count"), read.stream().map(SubscriptionStats::subscription).toList());
        assertEquals(List.of(5L, 0L, 0L, 0L), List.of(read.get(0).handled(), read.get(0).failedAttempts(),
                read.get(0).retriesScheduled(), read.get(0).deadLettered()), "handled, failed, retries, dead");
    }

    private static long handled(QueueAdmin admin) {
        return admin.subscriptionStats().stream().filter(s -> s.subscription().equals("count"))
                .mapToLong(SubscriptionStats::handled).sum();
    }
}
