package io.hexbus.opentelemetry;

import io.hexbus.api.conformance.QueuedTransportUnderTest;
import io.hexbus.redis.testing.RedisQueueUnderTest;

/** Tracing across Redis ({@code REDIS_URL}, or 127.0.0.1:6379), on a key prefix of its own. */
class RedisTracingTest extends QueuedTransportTracing {

    @Override
    QueuedTransportUnderTest queue() {
        return new RedisQueueUnderTest();
    }
}
