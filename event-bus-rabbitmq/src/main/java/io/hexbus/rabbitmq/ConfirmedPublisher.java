package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A channel in confirm mode that a worker writes its retries, hops and dead-letter retries with: a batch is sent,
 * then every confirm awaited, so a call returns only once the broker has every message of it. A channel that
 * failed is opened again on the next call.
 *
 * <p>Thread-safe: calls are serialised (a channel must not be published on by two threads at once). Each call
 * blocks up to the timeout given at construction; a broker that refuses, nacks or does not confirm in time fails
 * it with a {@link TransportUnavailableException} (or {@link TransportTimeoutException}) naming the broker, and
 * some of the batch may have been written: every write of a worker is safe to repeat (the ledger drops copies).
 */
final class ConfirmedPublisher implements AutoCloseable {

    /**
     * One message to send.
     *
     * @param exchange   the exchange; {@code ""} for the default exchange (routing key = queue name)
     * @param routingKey the routing key
     * @param properties its properties
     * @param body       its body
     */
    record Outgoing(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
        Outgoing {
            Objects.requireNonNull(exchange, "exchange");
            Objects.requireNonNull(routingKey, "routingKey");
            Objects.requireNonNull(properties, "properties");
            Objects.requireNonNull(body, "body");
        }
    }

    private final Connection connection;
    private final Duration timeout;
    private final String broker;
    private Channel channel; // guarded by this

    /**
     * @param connection the connection to open the channel on
     * @param timeout    how long a call waits for its confirms
     * @param broker     the broker, as error messages name it (never with a password)
     */
    ConfirmedPublisher(Connection connection, Duration timeout, String broker) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.broker = Objects.requireNonNull(broker, "broker");
    }

    /**
     * Sends the messages and waits for the broker to confirm all of them.
     *
     * @param messages the messages, sent in this order
     * @param what     what the call does, for its error message
     * @throws TransportUnavailableException if the broker cannot be used, nacked one, or did not confirm in time
     */
    synchronized void send(List<Outgoing> messages, String what) {
        if (messages.isEmpty()) {
            return;
        }
        try {
            Channel open = channel();
            for (Outgoing message : messages) {
                open.basicPublish(message.exchange(), message.routingKey(), message.properties(), message.body());
            }
            open.waitForConfirmsOrDie(timeout.toMillis());
        } catch (TimeoutException e) {
            drop();
            throw new TransportTimeoutException(what + ": RabbitMQ at " + broker + " did not confirm within "
                    + timeout.toMillis() + " ms", e);
        } catch (IOException | RuntimeException e) {
            drop();
            if (e instanceof TransportUnavailableException unavailable) {
                throw unavailable;
            }
            throw new TransportUnavailableException(what + ": RabbitMQ at " + broker + " failed: " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drop();
            throw new TransportUnavailableException(what + ": interrupted while waiting for RabbitMQ at " + broker, e);
        }
    }

    private Channel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            if (!connection.isOpen()) {
                throw new TransportUnavailableException("the connection to RabbitMQ at " + broker + " is closed",
                        connection.getCloseReason());
            }
            Channel opened = connection.createChannel();
            opened.confirmSelect();
            channel = opened;
        }
        return channel;
    }

    // A channel whose confirms are in doubt is not used again: a late nack on it would be taken for the next call's.
    private void drop() {
        Channel failed = channel;
        channel = null;
        if (failed != null && failed.isOpen()) {
            try {
                failed.abort();
            } catch (IOException | RuntimeException e) {
                // aborting anyway
            }
        }
    }

    /** Closes the channel. Never throws. */
    @Override
    public synchronized void close() {
        drop();
    }
}
