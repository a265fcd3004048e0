package io.hexbus.rabbitmq;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ChannelContinuationTimeoutException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownSignalException;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * The one mapping of a RabbitMQ client's failure onto the API's transport-neutral exceptions, and the calls every
 * broker operation goes through: a call that did not answer in time is a {@link TransportTimeoutException}, any other
 * failure (an I/O error, a channel or connection the broker closed, one already closed) a
 * {@link TransportUnavailableException}; each message says what was done, names the broker and quotes the broker's
 * reason (its reply text, e.g. {@code NOT_FOUND - no exchange ...}). Stateless.
 *
 * <p>The bound: each RPC call on a channel of a connection opened by
 * {@link RabbitConnectionSettings#connect(String, java.time.Duration)} ends within the timeout given there (the
 * client's channel RPC timeout, which the transport sets to its command timeout); waits that are not RPC calls
 * (publisher confirms) take their own timeout.
 */
final class RabbitCalls {

    private RabbitCalls() {
    }

    /**
     * A call on a channel.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    interface ChannelCall<T> {
        /**
         * @param channel an open channel
         * @return what the call returns
         * @throws IOException          as the client's channel methods do
         * @throws TimeoutException     if a wait ran out
         * @throws InterruptedException if interrupted while waiting
         */
        T call(Channel channel) throws IOException, TimeoutException, InterruptedException;
    }

    /**
     * Runs a call on a channel, translating its failure.
     *
     * @param channel the channel; a failure may have closed it (the broker closes a channel on any refusal)
     * @param what    what the call does, for the message of its failure, e.g. {@code declaring queue 'x'}
     * @param broker  the broker, for the message ({@link #broker(Connection)})
     * @param call    the call
     * @param <T>     what it returns
     * @return what it returned
     * @throws TransportTimeoutException     if it did not answer in time
     * @throws TransportUnavailableException on any other failure of the client or the broker; on interruption,
     *                                       with the thread's interrupt flag set again
     */
    static <T> T run(Channel channel, String what, String broker, ChannelCall<T> call) {
        try {
            return call.call(channel);
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            throw translate(e, what, broker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException(what + " on " + broker + ": interrupted", e);
        }
    }

    /**
     * Runs a call on a channel of its own, closed after it: a call whose refusal closes its channel leaves no
     * channel of the caller's closed.
     *
     * @param connection the connection
     * @param what       what the call does, for the message of its failure
     * @param call       the call
     * @param <T>        what it returns
     * @return what it returned
     * @throws TransportTimeoutException     if it did not answer in time
     * @throws TransportUnavailableException on any other failure, the connection's included
     */
    static <T> T onNewChannel(Connection connection, String what, ChannelCall<T> call) {
        String broker = broker(connection);
        Channel channel = run(null, "opening a channel for " + what, broker, ignored -> open(connection));
        try {
            return run(channel, what, broker, call);
        } finally {
            closeQuietly(channel);
        }
    }

    /**
     * @param connection a connection
     * @return a new channel on it
     * @throws IOException if the broker refused it, or it has no channel number free
     */
    static Channel open(Connection connection) throws IOException {
        Channel channel = connection.createChannel();
        if (channel == null) {
            throw new IOException("no channel number free on the connection (its channel_max)");
        }
        return channel;
    }

    /**
     * @param connection a connection
     * @return the broker it is to, for messages: {@code RabbitMQ at host:port}
     */
    static String broker(Connection connection) {
        return "RabbitMQ at " + connection.getAddress().getHostAddress() + ":" + connection.getPort();
    }

    /**
     * @param e      a RabbitMQ client's failure
     * @param what   what was being done
     * @param broker the broker
     * @return the API's form of it: a timeout, or unavailable
     */
    static TransportUnavailableException translate(Exception e, String what, String broker) {
        if (e instanceof TimeoutException || e instanceof SocketTimeoutException
                || e instanceof ChannelContinuationTimeoutException) {
            return new TransportTimeoutException(what + ": " + broker + " did not answer in time: " + reason(e), e);
        }
        return new TransportUnavailableException(what + ": " + broker + ": " + reason(e), e);
    }

    /**
     * @param e a RabbitMQ client's failure
     * @return whether a channel or the connection was closed, by whom, and the broker's reply text when it closed
     *         it (the cause, for an {@link IOException} of a channel method); else the exception's type and message
     */
    static String reason(Throwable e) {
        ShutdownSignalException shutdown = shutdownOf(e);
        if (shutdown != null) {
            Method reason = shutdown.getReason();
            String reply = reason instanceof com.rabbitmq.client.AMQP.Channel.Close close ? close.getReplyText()
                    : reason instanceof com.rabbitmq.client.AMQP.Connection.Close close ? close.getReplyText()
                    : shutdown.getMessage();
            String closed = (shutdown.isHardError() ? "connection" : "channel")
                    + (shutdown instanceof AlreadyClosedException ? " already closed" : " closed");
            return closed + (shutdown.isInitiatedByApplication() ? " by this process" : " by the broker: " + reply);
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * @param e a RabbitMQ client's failure
     * @return the broker's close behind it (itself or its cause), or null
     */
    static ShutdownSignalException shutdownOf(Throwable e) {
        if (e instanceof ShutdownSignalException shutdown) {
            return shutdown;
        }
        return e != null && e.getCause() instanceof ShutdownSignalException shutdown ? shutdown : null;
    }

    /**
     * Closes a channel, ignoring that it is closed already or the connection gone.
     *
     * @param channel a channel, or null
     */
    static void closeQuietly(Channel channel) {
        if (channel != null && channel.isOpen()) {
            try {
                channel.abort();
            } catch (IOException | RuntimeException ignored) {
                // closed meanwhile: nothing to release
            }
        }
    }
}
