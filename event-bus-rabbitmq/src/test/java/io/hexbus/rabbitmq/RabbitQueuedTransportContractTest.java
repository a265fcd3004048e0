package io.hexbus.rabbitmq;

import io.hexbus.api.conformance.QueuedTransportContract;
import io.hexbus.api.conformance.QueuedTransportUnderTest;
import io.hexbus.api.conformance.TransportCapability;
import io.hexbus.rabbitmq.testing.RabbitQueueUnderTest;

import java.util.EnumSet;
import java.util.Set;

/**
 * The RabbitMQ transport holds the contract of every queued transport, against a real broker. Not claimed:
 * {@link TransportCapability#ORDERED_BY_KEY} (the workers of an application share one queue).
 */
class RabbitQueuedTransportContractTest extends QueuedTransportContract {

    @Override
    protected QueuedTransportUnderTest newQueue() {
        return new RabbitQueueUnderTest();
    }

    @Override
    protected Set<TransportCapability> capabilities() {
        return EnumSet.of(TransportCapability.ASYNCHRONOUS, TransportCapability.PERSISTENT,
                TransportCapability.RETRIES, TransportCapability.TAKEOVER, TransportCapability.RAW_INPUT);
    }
}
