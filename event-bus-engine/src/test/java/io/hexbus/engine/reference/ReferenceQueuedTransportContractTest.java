package io.hexbus.engine.reference;

import io.hexbus.api.conformance.QueuedTransportContract;
import io.hexbus.api.conformance.QueuedTransportUnderTest;
import io.hexbus.api.conformance.TransportCapability;

import java.util.EnumSet;
import java.util.Set;

/** The engine holds the contract of every queued transport on the in-memory reference backend, without a broker. */
class ReferenceQueuedTransportContractTest extends QueuedTransportContract {

    @Override
    protected QueuedTransportUnderTest newQueue() {
        return new ReferenceQueueUnderTest();
    }

    @Override
    protected Set<TransportCapability> capabilities() {
        return EnumSet.of(TransportCapability.ASYNCHRONOUS, TransportCapability.PERSISTENT, TransportCapability.RETRIES,
                TransportCapability.TAKEOVER, TransportCapability.RAW_INPUT,
                TransportCapability.RATE_LIMITS);
    }
}
