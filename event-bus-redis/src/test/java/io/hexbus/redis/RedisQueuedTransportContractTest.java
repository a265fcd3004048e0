package io.hexbus.redis;

import io.hexbus.api.conformance.QueuedTransportContract;
import io.hexbus.api.conformance.QueuedTransportUnderTest;
import io.hexbus.api.conformance.TransportCapability;
import io.hexbus.redis.testing.RedisQueueUnderTest;

import java.util.EnumSet;
import java.util.Set;

/** The Redis transport holds the contract of every queued transport, against a real Redis. */
class RedisQueuedTransportContractTest extends QueuedTransportContract {

    @Override
    protected QueuedTransportUnderTest newQueue() {
        return new RedisQueueUnderTest();
    }

    @Override
    protected Set<TransportCapability> capabilities() {
        return EnumSet.of(TransportCapability.ASYNCHRONOUS, TransportCapability.PERSISTENT, TransportCapability.RETRIES,
                TransportCapability.TAKEOVER, TransportCapability.RAW_INPUT, TransportCapability.RATE_LIMITS,
                TransportCapability.REPORTS_DUPLICATES, TransportCapability.DELAYED_DELIVERY,
                TransportCapability.PROGRESS_OF_WAITING_EVENTS);
    }
}
