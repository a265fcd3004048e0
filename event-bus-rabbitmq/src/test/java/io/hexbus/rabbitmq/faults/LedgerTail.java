package io.hexbus.rabbitmq.faults;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.AMQP;
import io.hexbus.rabbitmq.LedgerSettles;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * What an application recorded done, read from outside its workers: a consumer of its ledger stream from the start,
 * noting each event id with a {@code done} settle and when this tail first read it (the machine's clock, a little
 * after the settle was appended). On a connection of its own with automatic recovery: after a broker restart or a
 * cut it consumes the stream from the start again, keeping the first time it saw each settle.
 *
 * <p>Thread-safe: {@link #read()} may be called while deliveries arrive.
 */
final class LedgerTail implements AutoCloseable {

    private final Map<UUID, Long> done = new ConcurrentHashMap<>();
    private final Connection connection;

    /**
     * Starts tailing.
     *
     * @param factory a factory for the application's broker
     * @param stream  the ledger stream's name
     * @throws IOException      if the broker refuses the consumer
     * @throws TimeoutException if it cannot connect in time
     */
    LedgerTail(ConnectionFactory factory, String stream) throws IOException, TimeoutException {
        ConnectionFactory own = factory.clone();
        own.setAutomaticRecoveryEnabled(true);
        own.setNetworkRecoveryInterval(500);
        connection = own.newConnection("hexbus-test-ledger-tail");
        Channel channel = connection.createChannel();
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
    Map<UUID, Long> read() {
        return Map.copyOf(done);
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
