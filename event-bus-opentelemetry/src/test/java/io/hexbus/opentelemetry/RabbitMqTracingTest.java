package io.hexbus.opentelemetry;

import io.hexbus.api.conformance.QueuedTransportUnderTest;
import io.hexbus.rabbitmq.testing.RabbitQueueUnderTest;

/** Tracing across RabbitMQ ({@code RABBITMQ_URL}, or 127.0.0.1:5672), on names of its own. */
class RabbitMqTracingTest extends QueuedTransportTracing {

    @Override
    QueuedTransportUnderTest queue() {
        return new RabbitQueueUnderTest();
    }
}
