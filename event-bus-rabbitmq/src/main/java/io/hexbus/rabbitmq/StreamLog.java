package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Appends to one RabbitMQ stream and reads it whole, over AMQP 0-9-1. Knows nothing of what the bodies hold.
 *
 * <p>A read goes from the stream's first message up to its end at the call. AMQP tells no stream's end (a stream's
 * {@code queue.declare-ok} counts 0 messages), so the read first appends a sync marker (an empty body with the
 * {@value #SYNC_HEADER} header, confirmed) and reads until it sees its own: everything confirmed before the call
 * started is before the marker. Markers are skipped by every read, and age out with the rest.
 *
 * <p>Thread-safe: each call uses channels of its own on the shared connection (which its owner closes). Blocks:
 * an append until the broker confirmed it, within the command timeout; a read as long as messages keep coming,
 * failing once none came for a command timeout. Failures are {@link TransportUnavailableException}s naming the
 * stream and the broker ({@link TransportTimeoutException} when it did not answer in time: an append may have
 * happened).
 */
final class StreamLog {

    /** The header of a sync marker: its value is the marker's id. */
    static final String SYNC_HEADER = "hexbus-sync";

    private static final String OFFSET_HEADER = "x-stream-offset";
    private static final int PREFETCH = 1_000;
    private static final int ACK_EVERY = 250;

    /** What a read hands each message of the stream to. */
    @FunctionalInterface
    interface Sink {

        /**
         * @param offset the message's stream offset
         * @param body   its body
         */
        void accept(long offset, byte[] body);
    }

    /** What a read hands each message of the stream to, with its headers. */
    @FunctionalInterface
    interface StampedSink {

        /**
         * @param offset  the message's stream offset
         * @param headers its headers; empty when it has none
         * @param body    its body
         */
        void accept(long offset, Map<String, Object> headers, byte[] body);
    }

    private final Connection connection;
    private final String stream;
    private final Duration commandTimeout;
    private final Function<String, byte[]> markerBody;

    /**
     * @param connection     the broker's connection; its owner closes it
     * @param stream         the stream's name; declared by its owner
     * @param commandTimeout how long the broker may take to confirm an append, or to deliver a read's next message
     */
    StreamLog(Connection connection, String stream, Duration commandTimeout) {
        this(connection, stream, commandTimeout, marker -> new byte[0]);
    }

    /**
     * @param connection     the broker's connection; its owner closes it
     * @param stream         the stream's name; declared by its owner
     * @param commandTimeout how long the broker may take to confirm an append, or to deliver a read's next message
     * @param markerBody     the body of a read's sync marker, from the marker: one the stream's other readers take as
     *                       a record that changes nothing (the ledger's workers read every message)
     */
    StreamLog(Connection connection, String stream, Duration commandTimeout, Function<String, byte[]> markerBody) {
        this.markerBody = Objects.requireNonNull(markerBody, "markerBody");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isZero() || commandTimeout.isNegative()) {
            throw new IllegalArgumentException("commandTimeout must be positive, got " + commandTimeout);
        }
    }

    /** @return the stream's name */
    String stream() {
        return stream;
    }

    /**
     * Appends one message (persistent) and waits for the broker's confirm.
     *
     * @param body the message body
     * @param what what is written, for messages
     * @throws TransportUnavailableException if the broker refused, nacked or cannot be reached
     */
    void append(byte[] body, String what) {
        append(body, Map.of(), what);
    }

    /**
     * Reads the stream from its first message to its end at the call (a sync marker appended by this call), in
     * offset order, skipping sync markers.
     *
     * @param sink gets each message
     * @throws TransportUnavailableException if the stream is missing, or the broker fails or stops delivering
     */
    void readToEnd(Sink sink) {
        readToEnd(sink, 0);
    }

    /**
     * Reads the stream from an offset to its end at the call, as {@link #readToEnd(Sink)} does: for a reader that
     * keeps its fold and reads only what was appended since its last read. An offset the stream's retention dropped
     * already reads from the first message kept.
     *
     * @param sink       gets each message
     * @param fromOffset the first offset to read, 0 or more
     * @return the offset to read from next time: past this call's sync marker
     * @throws TransportUnavailableException if the stream is missing, or the broker fails or stops delivering
     */
    long readToEnd(Sink sink, long fromOffset) {
        return readToEnd((offset, headers, body) -> sink.accept(offset, body), fromOffset);
    }

    /**
     * Reads as {@link #readToEnd(Sink, long)} does, handing each message's headers too.
     *
     * @param sink       gets each message
     * @param fromOffset the first offset to read, 0 or more
     * @return the offset to read from next time
     * @throws TransportUnavailableException if the stream is missing, or the broker fails or stops delivering
     */
    long readToEnd(StampedSink sink, long fromOffset) {
        String marker = UUID.randomUUID().toString();
        append(markerBody.apply(marker), Map.of(SYNC_HEADER, marker), "a sync marker");
        BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
        try (Channel channel = connection.createChannel()) {
            channel.basicQos(PREFETCH); // a stream consumer needs a prefetch
            String tag = channel.basicConsume(stream, false,
                    Map.of(OFFSET_HEADER, fromOffset == 0 ? (Object) "first" : (Object) fromOffset),
                    new DefaultConsumer(channel) {
                        @Override
                        public void handleDelivery(String consumerTag, Envelope envelope,
                                                   AMQP.BasicProperties properties, byte[] body) {
                            arrived.add(new Message(envelope.getDeliveryTag(), properties, body));
                        }

                        @Override
                        public void handleCancel(String consumerTag) {
                            arrived.add(new IOException("the broker cancelled the read (stream deleted?)"));
                        }

                        @Override
                        public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
                            arrived.add(sig);
                        }
                    });
            long next = drain(channel, arrived, marker, sink);
            channel.basicCancel(tag);
            return next;
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            throw unavailable("reading", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException("interrupted reading RabbitMQ stream '" + stream + "' at "
                    + broker(), e);
        }
    }

    private long drain(Channel channel, BlockingQueue<Object> arrived, String marker, StampedSink sink)
            throws IOException, InterruptedException {
        int unacked = 0;
        while (true) {
            Object next = arrived.poll(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                throw new TransportTimeoutException("RabbitMQ stream '" + stream + "' at " + broker()
                        + " delivered nothing for " + commandTimeout.toMillis() + " ms while read", null);
            }
            if (next instanceof Exception failure) {
                throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
            }
            Message message = (Message) next;
            Map<String, Object> headers = message.properties().getHeaders();
            Object sync = headers == null ? null : headers.get(SYNC_HEADER);
            if (sync != null) {
                if (marker.equals(sync.toString())) {
                    return headers.get(OFFSET_HEADER) instanceof Long offset ? offset + 1 : 0;
                }
            } else if (headers != null && headers.get(OFFSET_HEADER) instanceof Long offset) {
                sink.accept(offset, headers, message.body());
            }
            if (++unacked >= ACK_EVERY) {
                // A stream consumer's credit comes back with its acks.
                channel.basicAck(message.tag(), true);
                unacked = 0;
            }
        }
    }

    private void append(byte[] body, Map<String, Object> headers, String what) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/octet-stream")
                .headers(headers)
                .build();
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish("", stream, properties, body);
            channel.waitForConfirmsOrDie(commandTimeout.toMillis());
        } catch (TimeoutException e) {
            throw new TransportTimeoutException("RabbitMQ at " + broker() + " did not confirm " + what + " to stream '"
                    + stream + "' within " + commandTimeout.toMillis() + " ms (it may still be written)", e);
        } catch (IOException | ShutdownSignalException e) {
            throw unavailable("writing " + what + " to", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException("interrupted writing " + what + " to RabbitMQ stream '" + stream
                    + "' at " + broker(), e);
        }
    }

    private TransportUnavailableException unavailable(String doing, Exception e) {
        String reason = e.getMessage() != null ? e.getMessage()
                : e.getCause() != null ? String.valueOf(e.getCause().getMessage()) : e.getClass().getSimpleName();
        return new TransportUnavailableException("RabbitMQ at " + broker() + " failed " + doing + " stream '" + stream
                + "': " + reason, e);
    }

    private String broker() {
        return connection.getAddress().getHostAddress() + ":" + connection.getPort();
    }

    private record Message(long tag, AMQP.BasicProperties properties, byte[] body) {
    }
}
