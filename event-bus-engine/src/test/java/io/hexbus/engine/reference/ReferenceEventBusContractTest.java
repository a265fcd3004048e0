package io.hexbus.engine.reference;

import io.hexbus.api.conformance.EventBusContract;
import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.conformance.TransportCapability;
import io.hexbus.api.conformance.TransportUnderTest;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transport.QueuedTransport;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** The engine on the reference backend holds the contract every transport keeps. */
class ReferenceEventBusContractTest extends EventBusContract {

    @Override
    protected TransportUnderTest start(DomainEventsProcessor processor) {
        ReferenceQueueUnderTest queue = new ReferenceQueueUnderTest();
        QueuedTransport transport = queue.connect(processor, QueueTestSettings.DEFAULTS);
        queue.startWorker(transport);
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
        return EnumSet.of(TransportCapability.ASYNCHRONOUS, TransportCapability.PERSISTENT, TransportCapability.RETRIES,
                TransportCapability.REPORTS_DUPLICATES);
    }
}
