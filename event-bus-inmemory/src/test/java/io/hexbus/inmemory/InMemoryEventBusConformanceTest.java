package io.hexbus.inmemory;

import io.hexbus.api.conformance.EventBusContract;
import io.hexbus.api.conformance.TransportCapability;
import io.hexbus.api.conformance.TransportUnderTest;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;

import java.time.Duration;
import java.util.Set;

import static org.awaitility.Awaitility.await;

/** The in-memory transport holds the contract every transport keeps. */
class InMemoryEventBusConformanceTest extends EventBusContract {

    @Override
    protected TransportUnderTest start(DomainEventsProcessor processor) {
        InMemoryEventBus bus = new InMemoryEventBus(processor);
        return new TransportUnderTest() {
            @Override
            public EventBus bus() {
                return bus;
            }

            @Override
            public void awaitIdle(Duration atMost) {
                // Synchronous: idle whenever publish has returned, but for delayed events not yet dispatched.
                await().atMost(atMost).pollInterval(Duration.ofMillis(10)).until(() -> bus.scheduled() == 0);
            }

            @Override
            public void close() {
                bus.close();
            }
        };
    }

    @Override
    protected Set<TransportCapability> capabilities() {
        return Set.of(TransportCapability.SYNCHRONOUS, TransportCapability.REPORTS_DUPLICATES,
                TransportCapability.DELAYED_DELIVERY);
    }
}
