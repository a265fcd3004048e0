package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;

import java.util.Objects;

/**
 * One AMQP delivery to a worker, as the broker gave it: which of the worker's queues it came from, on which of its
 * consuming channels (a generation: a channel opened again after a failure is a new one, on which the old delivery
 * tags mean nothing), its tag, properties and body. Immutable (the body is not copied: nobody writes it).
 *
 * @param source      the queue it came from
 * @param generation  the consuming channel it came on
 * @param deliveryTag its tag on that channel
 * @param redelivered whether the broker delivered it before (to a channel that closed without acknowledging it)
 * @param properties  its properties and headers
 * @param body        its body
 */
record Received(Source source, long generation, long deliveryTag, boolean redelivered,
                AMQP.BasicProperties properties, byte[] body) {

    /** The worker's queues. */
    enum Source {
        /** The work queue: new events. */
        WORK,
        /** The due queue: retries whose tier expired, dead-letter retries. */
        DUE,
        /** The poison queue: messages past the delivery limit. */
        POISON
    }

    Received {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(body, "body");
    }
}
