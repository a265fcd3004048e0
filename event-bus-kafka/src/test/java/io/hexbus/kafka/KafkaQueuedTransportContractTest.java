package io.hexbus.kafka;

import io.hexbus.api.conformance.QueuedTransportContract;
import io.hexbus.api.conformance.QueuedTransportUnderTest;
import io.hexbus.api.conformance.TransportCapability;
import io.hexbus.kafka.testing.KafkaQueueUnderTest;

import java.util.EnumSet;
import java.util.Set;

/** The Kafka transport holds the contract of every queued transport, against a real broker. */
class KafkaQueuedTransportContractTest extends QueuedTransportContract {

    @Override
    protected QueuedTransportUnderTest newQueue() {
        return new KafkaQueueUnderTest();
    }

    @Override
    protected Set<TransportCapability> capabilities() {
        return EnumSet.of(TransportCapability.ASYNCHRONOUS, TransportCapability.PERSISTENT,
                TransportCapability.RETRIES, TransportCapability.TAKEOVER, TransportCapability.RAW_INPUT,
                TransportCapability.ORDERED_BY_KEY);
    }
}
