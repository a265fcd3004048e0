package io.hexbus.rabbitmq;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The publisher's channels in confirm mode, on one connection that is opened again, on the next use, once lost
 * (the client's own recovery is off). A channel is used by one thread at a time, so that the confirms it waits for
 * are its own: a publishing thread takes one ({@link #take}), publishes, waits for the confirms and gives it back
 * ({@link #giveBack}), or discards it after a failure ({@link #discard}), since its confirms are then unknown.
 * At most {@value #MAX_CHANNELS} are in use at once; a thread past them waits its turn.
 *
 * <p>While the broker blocks the connection (a memory or disk alarm: it stops reading what is published),
 * {@link #take} fails at once instead of letting a publish hang on the socket.
 *
 * <p>Thread-safe.
 */
final class ConfirmChannels implements AutoCloseable {

    /** The most channels publishing at once. */
    static final int MAX_CHANNELS = 64;

    private final Supplier<Connection> opener;
    private final String broker;
    private final Duration closeTimeout;
    private final Semaphore turns = new Semaphore(MAX_CHANNELS);
    private final ConcurrentLinkedDeque<Channel> idle = new ConcurrentLinkedDeque<>();
    private Connection connection; // guarded by this
    private volatile String blockedBecause;
    private volatile boolean closed;

    /**
     * @param opener       opens a connection, throwing {@link TransportUnavailableException} when it cannot
     * @param broker       the broker, for messages
     * @param closeTimeout how long {@link #close()} waits for the broker to confirm the connection's close
     */
    ConfirmChannels(Supplier<Connection> opener, String broker, Duration closeTimeout) {
        this.opener = opener;
        this.broker = broker;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Opens the connection now, rather than on the first publish.
     *
     * @return the connection
     * @throws TransportUnavailableException if it cannot be opened
     */
    synchronized Connection connection() {
        if (closed) {
            throw new TransportUnavailableException("its RabbitMQ transport is closed", null);
        }
        if (connection == null || !connection.isOpen()) {
            Connection opened = opener.get();
            blockedBecause = null;
            opened.addBlockedListener(new BlockedListener() {
                @Override
                public void handleBlocked(String reason) {
                    blockedBecause = reason;
                }

                @Override
                public void handleUnblocked() {
                    blockedBecause = null;
                }
            });
            connection = opened;
        }
        return connection;
    }

    /**
     * Takes a channel in confirm mode for this thread alone.
     *
     * @param wait how long to wait for a turn when {@value #MAX_CHANNELS} are in use
     * @return the channel; give it back or discard it
     * @throws TransportTimeoutException     if no turn came within {@code wait}
     * @throws TransportUnavailableException if the connection cannot be opened, the broker blocks publishing, or
     *                                       this is closed
     */
    Channel take(Duration wait) {
        try {
            if (!turns.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new TransportTimeoutException("publishing to " + broker + ": no channel free within " + wait
                        + " (" + MAX_CHANNELS + " publishing at once)", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException("publishing to " + broker + ": interrupted", e);
        }
        try {
            Connection current = connection();
            String blocked = blockedBecause;
            if (blocked != null) {
                throw new TransportUnavailableException("publishing to " + broker + ": the broker blocks publishing"
                        + " (" + blocked + "): a resource alarm, until it has memory or disk again", null);
            }
            for (Channel channel = idle.pollFirst(); channel != null; channel = idle.pollFirst()) {
                if (channel.isOpen() && channel.getConnection() == current) {
                    return channel;
                }
                RabbitCalls.closeQuietly(channel);
            }
            return RabbitCalls.run(null, "opening a publishing channel", broker, ignored -> {
                Channel channel = RabbitCalls.open(current);
                channel.confirmSelect();
                return channel;
            });
        } catch (RuntimeException e) {
            turns.release();
            throw e;
        }
    }

    /**
     * @param channel a channel taken, whose confirms all came: kept for the next publish
     */
    void giveBack(Channel channel) {
        if (closed || !channel.isOpen()) {
            RabbitCalls.closeQuietly(channel);
        } else {
            idle.offerFirst(channel);
        }
        turns.release();
    }

    /**
     * @param channel a channel taken whose publish failed: closed, since what it still waits for is unknown
     */
    void discard(Channel channel) {
        RabbitCalls.closeQuietly(channel);
        turns.release();
    }

    /** Closes the connection, and with it every channel, waiting at most the close timeout. Idempotent. */
    @Override
    public void close() {
        Connection toClose;
        synchronized (this) {
            closed = true;
            toClose = connection;
            connection = null;
        }
        idle.clear();
        if (toClose != null && toClose.isOpen()) {
            try {
                toClose.close((int) Math.min(closeTimeout.toMillis(), Integer.MAX_VALUE));
            } catch (IOException | RuntimeException e) {
                toClose.abort(); // already closing, or the broker is gone: nothing to wait for
            }
        }
    }
}
