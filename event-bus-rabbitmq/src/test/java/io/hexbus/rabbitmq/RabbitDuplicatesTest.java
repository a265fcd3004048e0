package io.hexbus.rabbitmq;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RabbitMQ has no dedupe: copies of one event id published by several publishers at once reach several workers at
 * once, and the ledger's claims must make each subscription run once per id all the same.
 */
class RabbitDuplicatesTest {

    private static final int EVENTS = 40;
    private static final int COPIES = 3;

    private final RabbitQueueUnderTest queue = new RabbitQueueUnderTest();

    @AfterEach
    void close() {
        queue.close();
    }

    @Test
    void copiesPublishedAtOnceFromSeveralPublishersToSeveralWorkersRunOncePerSubscription() throws Exception {
        Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
        List<QueuedTransport> transports = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            DomainEventsProcessor processor = new DomainEventsProcessor(
                    new EventTypeRegistry().register(ParcelShipped.class));
            processor.register(ParcelShipped.class, "count", (ParcelShipped e) ->
                    runs.computeIfAbsent(e.eventId(), id -> new AtomicInteger()).incrementAndGet());
            QueuedTransport transport = queue.connect(processor, QueueTestSettings.DEFAULTS);
            queue.startWorker(transport);
            transports.add(transport);
        }
        List<ParcelShipped> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(ContractEvents.shipped(i));
        }

        ExecutorService publishers = Executors.newFixedThreadPool(COPIES * transports.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int copy = 0; copy < COPIES; copy++) {
                for (QueuedTransport transport : transports) {
                    done.add(publishers.submit(() -> {
                        start.await();
                        events.forEach(transport.eventBus()::publish);
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            publishers.shutdownNow();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> runs.size() == EVENTS);
        queue.awaitIdle(Duration.ofSeconds(60));
        for (ParcelShipped event : events) {
            assertEquals(1, runs.get(event.eventId()).get(), "runs of " + event.eventId());
        }
        assertEquals(EVENTS, transports.get(0).admin().stats().completed(),
                "the copies are acknowledged, not counted as completed events");
    }
}
