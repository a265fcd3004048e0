package io.hexbus.rabbitmq;

import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.EventProgress.State;
import io.hexbus.api.admin.EventProgress.SubscriptionProgress;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.rabbitmq.testing.RabbitQueueUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Event progress on a real broker, between what the queued contract covers: an event a worker runs now is known from
 * its claim, waiting for each subscription under its name, and done once settled; an admin connected later reads the
 * same from the ledger.
 */
class RabbitEventProgressTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RabbitQueueUnderTest queue = new RabbitQueueUnderTest();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        queue.close();
    }

    @Test
    void anEventRunningNowIsWaitingUnderItsNameThenDone() {
        DomainEventsProcessor processor = new DomainEventsProcessor(
                new EventTypeRegistry().register(ParcelShipped.class));
        CountDownLatch running = new CountDownLatch(1);
        processor.register(ParcelShipped.class, "slow", (ParcelShipped e) -> {
            running.countDown();
            if (!release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("not released");
            }
        });
        processor.register(ParcelShipped.class, "fast", (ParcelShipped e) -> {
        });
        QueuedTransport transport = queue.connect(processor, QueueTestSettings.DEFAULTS);
        QueueAdmin admin = transport.admin();
        queue.startWorker(transport);
        ParcelShipped event = ContractEvents.shipped(1);

        transport.eventBus().publish(event);

        await().atMost(WAIT).until(() -> running.getCount() == 0);
        EventProgress runs = admin.eventProgress(event.eventId()).orElseThrow();
        assertEquals(ContractEvents.NAME_SHIPPED, runs.eventName());
        assertEquals(List.of(State.WAITING, State.WAITING), runs.subscriptions().stream()
                .map(SubscriptionProgress::state).toList(), runs.toString());
        release.countDown();
        await().atMost(WAIT).until(() -> admin.eventProgress(event.eventId()).map(p -> p.subscriptions().stream()
                .allMatch(s -> s.state() == State.DONE)).orElse(false));

        Optional<EventProgress> readLater = queue.connect(processor, QueueTestSettings.DEFAULTS).admin()
                .eventProgress(event.eventId());
        assertEquals(List.of("slow", "fast"), readLater.orElseThrow().subscriptions().stream()
                .map(SubscriptionProgress::subscription).toList(), "in registration order, each done");
    }
}
