package io.hexbus.redis;

import io.hexbus.api.conformance.EventBusContract;
import io.hexbus.api.conformance.TransportCapability;
import io.hexbus.api.conformance.TransportUnderTest;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.redis.testing.RedisTestTransport;
import io.hexbus.redis.testing.TestRedis;

import java.time.Duration;
import java.util.Set;

/** The Redis transport holds the contract every transport keeps, against a real Redis. */
class RedisEventBusConformanceTest extends EventBusContract {

    @Override
    protected TransportUnderTest start(DomainEventsProcessor processor) {
        RedisTestTransport redis = RedisTestTransport.connect(TestRedis.shared(), RedisTestTransport.testSettings(),
                processor);
        redis.startWorker();
        return new TransportUnderTest() {
            @Override
            public EventBus bus() {
                return redis.transport().eventBus();
            }

            @Override
            public void awaitIdle(Duration atMost) {
                redis.awaitIdle(atMost);
            }

            @Override
            public void close() {
                redis.close();
            }
        };
    }

    @Override
    protected Set<TransportCapability> capabilities() {
        return Set.of(TransportCapability.ASYNCHRONOUS, TransportCapability.PERSISTENT, TransportCapability.RETRIES,
                TransportCapability.REPORTS_DUPLICATES, TransportCapability.DELAYED_DELIVERY);
    }
}
