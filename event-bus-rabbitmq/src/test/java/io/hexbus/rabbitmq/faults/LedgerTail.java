package io.hexbus.rabbitmq.faults;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.hexbus.rabbitmq.LedgerSettles;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * What an application recorded done, read from outside its workers: a consumer of its ledger stream from the start,
 * noting each event id with a {@code done} settle and when this tail first read it (the machine's clock, a little
 * after the settle was appended). When its connection is lost (a broker restarted, connections closed) the next
 * {@link #read()} connects again and consumes the stream from the start again, keeping the first time it saw each
 * settle; a broker not yet back is tried again at the next call.
 *
 * <p>Thread-safe.
 */
final class LedgerTail implements AutoCloseable {

    private final Map<UUID, Long> done = new ConcurrentHashMap<>();
    private final ConnectionFactory factory;
    private final String stream;
    private Connection connection; // guarded by this
    private Channel channel; // guarded by this

    /**
     * Starts tailing.
     *
     * @param factory a factory for the application's broker
     * @param stream  the ledger stream's name
     * @throws IOException      if the broker refuses the consumer
     * @throws TimeoutException if it cannot connect in time
     */
    LedgerTail(ConnectionFactory factory, String stream) throws IOException, TimeoutException {
        this.factory = factory.clone();
        this.factory.setAutomaticRecoveryEnabled(false); // recovered here, from the start of the stream
        this.stream = stream;
        synchronized (this) {
            consume();
        }
    }

    private void consume() throws IOException, TimeoutException {
        connection = factory.newConnection("hexbus-test-ledger-tail");
        channel = connection.createChannel();
        channel.basicQos(500); // a stream consumer needs a prefetch
        channel.basicConsume(stream, false, Map.of("x-stream-offset", "first"), new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws IOException {
                long now = System.currentTimeMillis();
                for (String lineage : LedgerSettles.done(body)) {
                    if (!lineage.contains("/")) { // a dead-letter retry's lineage is <id>/<retry id>: none here
                        done.putIfAbsent(UUID.fromString(lineage), now);
                    }
                }
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
        });
    }

    /** @return the event ids recorded done so far, each with when this tail first read it (epoch ms); a copy */
    synchronized Map<UUID, Long> read() {
        if (channel == null || !channel.isOpen()) {
            closeConnection();
            try {
                consume();
            } catch (IOException | TimeoutException | RuntimeException e) {
                closeConnection(); // the broker is not back yet: the next call tries again
            }
        }
        return Map.copyOf(done);
    }

    private void closeConnection() {
        if (connection != null) {
            connection.abort(1_000);
        }
        connection = null;
        channel = null;
    }

    @Override
    public synchronized void close() {
        closeConnection();
    }
}
