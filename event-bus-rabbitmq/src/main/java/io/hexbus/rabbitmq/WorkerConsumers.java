package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker's consuming channel: one consumer on each of its application's work, due and poison queues, each with a
 * prefetch of its own, feeding a buffer per queue that the worker's threads take from. A delivery is acknowledged on
 * the channel it came on, and only while that channel is open: once it closed, the broker has returned the delivery
 * to its queue (another worker may hold it now), which is what fences a worker that lost it.
 *
 * <p>Thread-safe: the client's consumer thread fills the buffers; any thread takes and acknowledges (acknowledgements
 * are serialised on the channel, which the client does not allow to be used by two threads at once).
 */
final class WorkerConsumers implements AutoCloseable {

    private final Channel channel;
    private final long generation;
    private final Map<String, Object> arguments;
    private final Map<Received.Source, BlockingQueue<Received>> buffers = new EnumMap<>(Received.Source.class);
    private volatile ShutdownSignalException closedBy;

    private WorkerConsumers(Channel channel, long generation, Map<String, Object> arguments) {
        this.channel = channel;
        this.generation = generation;
        this.arguments = Map.copyOf(arguments);
        for (Received.Source source : Received.Source.values()) {
            buffers.put(source, new LinkedBlockingQueue<>());
        }
        channel.addShutdownListener(cause -> closedBy = cause);
    }

    /**
     * Opens the channel and starts the three consumers.
     *
     * @param connection the worker's connection
     * @param names      the application's queues
     * @param generation this channel's number, unique within the worker
     * @param prefetch   the work queue's prefetch: the worker's capacity and read-ahead
     * @param tag        the consumers' tag prefix, naming the worker (shown by {@code rabbitmqctl list_consumers})
     * @param arguments  the consumers' arguments ({@code x-consumer-timeout} where the broker knows it)
     * @return the consuming channel
     * @throws IOException if the broker refuses a call
     */
    static WorkerConsumers start(Connection connection, RabbitNames names, long generation, int prefetch, String tag,
                                 Map<String, Object> arguments) throws IOException {
        Channel channel = connection.createChannel();
        WorkerConsumers consumers = new WorkerConsumers(channel, generation, arguments);
        try {
            consumers.consume(names.workQueue(), Received.Source.WORK, prefetch, tag);
            consumers.consume(names.dueQueue(), Received.Source.DUE, prefetch, tag);
            // Few: each one is dead-lettered, one at a time, and none is urgent.
            consumers.consume(names.poisonQueue(), Received.Source.POISON, 8, tag);
            return consumers;
        } catch (IOException | RuntimeException e) {
            consumers.close();
            throw e;
        }
    }

    private void consume(String queue, Received.Source source, int prefetch, String tag) throws IOException {
        channel.basicQos(prefetch, false); // per consumer, for the consumer started next
        BlockingQueue<Received> buffer = buffers.get(source);
        channel.basicConsume(queue, false, tag + "-" + source.name().toLowerCase(java.util.Locale.ROOT), false, false,
                arguments, new DefaultConsumer(channel) {
                    @Override
                    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                               byte[] body) {
                        buffer.add(new Received(source, generation, envelope.getDeliveryTag(),
                                envelope.isRedeliver(), properties, body));
                    }
                });
    }

    /** @return this channel's generation */
    long generation() {
        return generation;
    }

    /** @return how many deliveries wait in the buffers, read ahead and not yet taken */
    int buffered() {
        return buffers.values().stream().mapToInt(BlockingQueue::size).sum();
    }

    /** @return whether the channel is open: its deliveries can still be acknowledged */
    boolean isOpen() {
        return closedBy == null && channel.isOpen();
    }

    /** @return why the channel closed, or null while it is open */
    ShutdownSignalException closedBy() {
        return closedBy;
    }

    /**
     * Takes what the broker delivered from one queue, waiting up to {@code wait} for the first.
     *
     * @param source the queue
     * @param max    at most this many
     * @param wait   how long to wait for the first; zero: do not wait
     * @return the deliveries, possibly none
     * @throws InterruptedException if interrupted while waiting
     */
    List<Received> take(Received.Source source, int max, Duration wait) throws InterruptedException {
        BlockingQueue<Received> buffer = buffers.get(source);
        List<Received> out = new ArrayList<>();
        Received first = wait.isZero() ? buffer.poll() : buffer.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            return out;
        }
        out.add(first);
        buffer.drainTo(out, max - 1);
        return out;
    }

    /**
     * Acknowledges a delivery of this channel.
     *
     * @param received the delivery
     * @return false when it cannot be: another channel's, or this one closed (the broker returned it to its queue)
     */
    boolean ack(Received received) {
        if (received.generation() != generation || !isOpen()) {
            return false;
        }
        synchronized (channel) {
            try {
                channel.basicAck(received.deliveryTag(), false);
                return true;
            } catch (IOException | RuntimeException e) {
                // The channel closed meanwhile: the delivery is back in its queue.
                return false;
            }
        }
    }

    /**
     * Gives a delivery of this channel back to its queue, for any worker to read again.
     *
     * @param received the delivery
     */
    void requeue(Received received) {
        if (received.generation() != generation || !isOpen()) {
            return; // the broker has it back already
        }
        synchronized (channel) {
            try {
                channel.basicNack(received.deliveryTag(), false, true);
            } catch (IOException | RuntimeException e) {
                // The channel closed meanwhile: the delivery is back in its queue.
            }
        }
    }

    /** Closes the channel: what it did not acknowledge goes back to its queues. Never throws. */
    @Override
    public void close() {
        synchronized (channel) {
            try {
                if (channel.isOpen()) {
                    channel.close();
                }
            } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
                // closing anyway: the connection's close returns its deliveries too
            }
        }
    }
}
