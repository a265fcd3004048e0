package io.hexbus.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.hexbus.rabbitmq.testing.TestRabbit;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/** A stream of the tests' broker, declared with a unique name and deleted when closed, with its connection. */
final class TestStream implements AutoCloseable {

    private final Connection connection;
    private final String name;

    TestStream(String suffix, String maxAge) throws IOException, TimeoutException {
        this.connection = TestRabbit.factory().newConnection("hexbus-test-" + suffix);
        this.name = TestRabbit.uniquePrefix() + "." + suffix;
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(name, true, false, false, Map.of("x-queue-type", "stream", "x-max-age", maxAge));
        }
    }

    Connection connection() {
        return connection;
    }

    String name() {
        return name;
    }

    /** Appends a body as is, as something else writing to the stream would. */
    void appendRaw(byte[] body) throws IOException, InterruptedException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish("", name, null, body);
            channel.waitForConfirmsOrDie(5_000);
        }
    }

    @Override
    public void close() throws IOException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            channel.queueDelete(name);
        } finally {
            connection.close();
        }
    }
}
