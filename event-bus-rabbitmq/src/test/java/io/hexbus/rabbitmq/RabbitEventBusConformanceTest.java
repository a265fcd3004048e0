package io.hexbus.rabbitmq;

import io.hexbus.api.conformance.EventBusContract;
import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.conformance.TransportCapability;
import io.hexbus.api.conformance.TransportUnderTest;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.rabbitmq.testing.RabbitQueueUnderTest;

import java.time.Duration;
import java.util.Set;

/**
 * The RabbitMQ transport holds the contract every transport keeps, against a real broker. Not claimed:
 * {@link TransportCapability#REPORTS_DUPLICATES} (RabbitMQ answers {@code PUBLISHED} for a duplicate, which the workers
 * drop), nor {@link TransportCapability#RETRIES} here (the queued contract tests retries).
 */
class RabbitEventBusConformanceTest extends EventBusContract {

    @Override
    protected TransportUnderTest start(DomainEventsProcessor processor) {
        RabbitQueueUnderTest queue = new RabbitQueueUnderTest();
        QueuedTransport transport;
        try {
            transport = queue.connect(processor, QueueTestSettings.DEFAULTS);
            queue.startWorker(transport);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
        return new TransportUnderTest() {
            @Override
            public EventBus bus() {
                return transport.eventBus();
            }

            @Override
            public void awaitIdle(Duration atMost) {
                queue.awaitIdle(atMost);
            }

            @Override
            public void close() {
                queue.close();
            }
        };
    }

    @Override
    protected Set<TransportCapability> capabilities() {
        return Set.of(TransportCapability.ASYNCHRONOUS, TransportCapability.PERSISTENT);
    }
}
