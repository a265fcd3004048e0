package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A worker's reader and writer of its application's ledger stream (docs/rabbitmq-transport.md, "The ledger"): it
 * tails the stream from its first record, applying every record to its {@link Ledger} in stream order, and appends
 * records with publisher confirms.
 *
 * <p><b>Channels:</b> it opens two of its own on the connection it is given, and closes them on {@link #close}: one
 * publishes with confirms ({@code mandatory}, so that a missing stream fails the append rather than drops it), one
 * consumes the stream from {@code x-stream-offset: first} with a prefetch of {@value #PREFETCH} and manual
 * acknowledgements (a stream needs both: they are its flow control). Each message's {@value #APPENDED_AT} header is
 * the writer's clock at the append, the time the ledger forgets by; a message {@link LedgerCodec} cannot read is
 * counted ({@link #undecodable()}), logged and skipped, never stops the tail.
 *
 * <p><b>Failure:</b> once either channel closes (the connection dropped, the stream was deleted, the broker refused
 * a command), the stream is broken for good: the calls waiting fail, and every later call throws a
 * {@link TransportUnavailableException} naming the stream and the first failure, rather than wait for a tail that
 * no longer moves. A broken or closed instance is not reopened: {@link #close} it and open another, with a new
 * {@link Ledger}, on a live connection (a connection's automatic recovery resumes the channels, not this instance,
 * whose tail then stops reading after the prefetch).
 *
 * <p>Thread-safe: any thread may append, and appends from several threads are published one after the other and
 * confirmed together; every blocking call is bounded by the command timeout.
 */
final class LedgerStream implements AutoCloseable {

    /** The header with the writer's clock at the append, epoch ms (a long). */
    static final String APPENDED_AT = "hexbus-appended-at";
    /** The deliveries the tail may hold unacknowledged. */
    static final int PREFETCH = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(LedgerStream.class);

    private final String stream;
    private final Ledger ledger;
    private final Duration commandTimeout;
    private final Channel publishing;
    private final Channel consuming;
    private final Object publishLock = new Object();
    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> unconfirmed = new ConcurrentSkipListMap<>();
    private final Map<String, CompletableFuture<Void>> unconfirmedById = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> unread = new ConcurrentHashMap<>();
    private final AtomicReference<TransportUnavailableException> failure = new AtomicReference<>();
    private final AtomicLong tailed = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();

    private LedgerStream(String stream, Ledger ledger, Duration commandTimeout, Channel publishing,
                         Channel consuming) {
        this.stream = stream;
        this.ledger = ledger;
        this.commandTimeout = commandTimeout;
        this.publishing = publishing;
        this.consuming = consuming;
    }

    /**
     * Opens the channels, starts the tail from the stream's first record and returns once it has read everything
     * appended before (a {@link LedgerRecord.Sync} this call appends, read back).
     *
     * @param connection     a live connection; not closed by this instance
     * @param streamName     the ledger stream, declared already ({@code x-queue-type: stream})
     * @param ledger         the fold to apply the records to, empty
     * @param commandTimeout how long each call may wait for the broker, positive
     * @return the stream, caught up
     * @throws TransportUnavailableException naming the stream, if a channel cannot be opened, the stream does not
     *                                       exist, or the catch-up fails ({@link TransportTimeoutException}: its tail
     *                                       read nothing for a whole command timeout)
     * @throws IllegalArgumentException      if the timeout is not positive
     */
    static LedgerStream open(Connection connection, String streamName, Ledger ledger, Duration commandTimeout) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(ledger, "ledger");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive, got " + commandTimeout);
        }
        Channel publishing = null;
        Channel consuming = null;
        LedgerStream opened = null;
        try {
            publishing = channel(connection, streamName);
            consuming = channel(connection, streamName);
            publishing.confirmSelect();
            consuming.basicQos(PREFETCH);
            opened = new LedgerStream(streamName, ledger, commandTimeout, publishing, consuming);
            opened.start();
            opened.catchUp();
            return opened;
        } catch (IOException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            } else {
                closeQuietly(publishing);
                closeQuietly(consuming);
            }
            if (e instanceof TransportUnavailableException unavailable) {
                throw unavailable;
            }
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            throw new TransportUnavailableException("ledger stream '" + streamName + "' cannot be opened: "
                    + reason(e), e);
        }
    }

    /**
     * Appends records as one message and waits for the broker's confirm: once it returns, every reader of the stream
     * will read them, in this order, after what was appended before.
     *
     * @param records the records, in order; not empty
     * @throws TransportUnavailableException naming the stream, if it is closed or broken, or the broker refused or
     *                                       did not route the message ({@link TransportTimeoutException}: no confirm
     *                                       within the command timeout; the records may be appended all the same)
     * @throws IllegalArgumentException      if {@code records} is empty or a string holds an unpaired surrogate
     */
    void append(List<? extends LedgerRecord> records) {
        long deadline = System.nanoTime() + commandTimeout.toNanos();
        await(publish(records, UUID.randomUUID().toString()), deadline, "no confirm of an append");
    }

    /**
     * {@link #append}s the records, then waits until this instance's tail has applied them: a {@link Ledger#classify}
     * that follows sees them, and everything appended before them.
     *
     * @param records the records, in order; not empty
     * @throws TransportUnavailableException as {@link #append} does, and if the tail does not read them back within
     *                                       what is left of the command timeout ({@link TransportTimeoutException})
     * @throws IllegalArgumentException      as {@link #append} does
     */
    void appendAndAwait(List<? extends LedgerRecord> records) {
        long deadline = System.nanoTime() + commandTimeout.toNanos();
        String messageId = UUID.randomUUID().toString();
        CompletableFuture<Void> read = new CompletableFuture<>();
        unread.put(messageId, read); // before the publish: the tail may read it before the confirm arrives
        try {
            failIfBroken(read);
            await(publish(records, messageId), deadline, "no confirm of an append");
            await(read, deadline, "the tail did not read an append back");
        } finally {
            unread.remove(messageId);
        }
    }

    /**
     * Waits until the tail has read the stream up to a marker appended now. The stream holds up to a dedupe window of
     * records, which may take longer than a command timeout to read: the wait goes on as long as the tail moves, and
     * fails only once it read nothing for a whole command timeout.
     */
    private void catchUp() {
        String messageId = UUID.randomUUID().toString();
        CompletableFuture<Void> read = new CompletableFuture<>();
        unread.put(messageId, read);
        try {
            failIfBroken(read);
            await(publish(List.of(new LedgerRecord.Sync(messageId)), messageId),
                    System.nanoTime() + commandTimeout.toNanos(), "no confirm of the catch-up's marker");
            long seen = -1;
            while (!read.isDone()) {
                long now = tailed.get();
                if (now == seen) {
                    throw new TransportTimeoutException("ledger stream '" + stream + "': the tail read nothing for "
                            + commandTimeout + " while catching up (" + now + " messages read)", null);
                }
                seen = now;
                try {
                    read.get(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException stillReading) {
                    // moved on since the last look? then wait again
                }
            }
            await(read, System.nanoTime(), "the tail did not read the catch-up's marker");
        } catch (ExecutionException e) {
            throw new TransportUnavailableException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException("ledger stream '" + stream + "': interrupted while catching up",
                    e);
        } finally {
            unread.remove(messageId);
        }
    }

    /** @return the fold the tail applies the stream to */
    Ledger ledger() {
        return ledger;
    }

    /** @return how many messages of the stream the tail could not decode and skipped */
    long undecodable() {
        return undecodable.get();
    }

    /**
     * Closes both channels; the calls waiting, and every later call, fail with a
     * {@link TransportUnavailableException} saying it is closed. Idempotent; never throws.
     */
    @Override
    public void close() {
        if (fail(new TransportUnavailableException("ledger stream '" + stream + "' is closed", null))) {
            closeQuietly(consuming);
            closeQuietly(publishing);
        }
    }

    @Override
    public String toString() {
        return "LedgerStream[" + stream + (failure.get() == null ? "" : ", stopped") + "]";
    }

    private void start() throws IOException {
        publishing.addConfirmListener(this::confirmed, this::refused);
        publishing.addReturnListener(returned -> {
            CompletableFuture<Void> confirm = unconfirmedById.remove(returned.getProperties().getMessageId());
            if (confirm != null) { // the broker's ack follows, and cannot complete it any more
                confirm.completeExceptionally(new TransportUnavailableException("ledger stream '" + stream
                        + "' did not take an append: " + returned.getReplyText() + " (was it deleted?)", null));
            }
        });
        publishing.addShutdownListener(cause -> broken("its publishing channel closed", cause));
        consuming.addShutdownListener(cause -> broken("its tail's channel closed", cause));
        consuming.basicConsume(stream, false, Map.of("x-stream-offset", "first"), new Tail());
    }

    private CompletableFuture<Void> publish(List<? extends LedgerRecord> records, String messageId) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("nothing to append");
        }
        byte[] body = LedgerCodec.encode(records);
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        synchronized (publishLock) {
            failIfBroken(confirm);
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .messageId(messageId)
                    .deliveryMode(2)
                    .contentType("application/x-hexbus-ledger")
                    .headers(Map.of(APPENDED_AT, System.currentTimeMillis()))
                    .build();
            long sequence = publishing.getNextPublishSeqNo();
            unconfirmed.put(sequence, confirm);
            unconfirmedById.put(messageId, confirm);
            try {
                publishing.basicPublish("", stream, true, properties, body);
            } catch (IOException | RuntimeException e) {
                unconfirmed.remove(sequence);
                unconfirmedById.remove(messageId);
                throw new TransportUnavailableException("ledger stream '" + stream + "': an append failed: "
                        + reason(e), e);
            }
        }
        // A failure between the check and the put drained the maps before this confirm was in them.
        failIfBroken(confirm);
        return confirm;
    }

    private void confirmed(long sequence, boolean multiple) {
        settle(sequence, multiple, null);
    }

    private void refused(long sequence, boolean multiple) {
        settle(sequence, multiple, new TransportUnavailableException("ledger stream '" + stream
                + "': the broker refused an append (nack)", null));
    }

    private void settle(long sequence, boolean multiple, TransportUnavailableException refusal) {
        Map<Long, CompletableFuture<Void>> settled = multiple ? unconfirmed.headMap(sequence, true)
                : unconfirmed.subMap(sequence, true, sequence, true);
        for (var it = settled.values().iterator(); it.hasNext(); ) {
            CompletableFuture<Void> confirm = it.next();
            it.remove();
            unconfirmedById.values().remove(confirm);
            if (refusal == null) {
                confirm.complete(null);
            } else {
                confirm.completeExceptionally(refusal);
            }
        }
    }

    private void broken(String what, ShutdownSignalException cause) {
        if (fail(new TransportUnavailableException("ledger stream '" + stream + "' stopped: " + what + " ("
                + cause.getMessage() + ")", cause))) {
            LOG.warn("Ledger stream '{}' stopped: {} ({}); every later call fails", stream, what, cause.getMessage());
        }
    }

    /** @return whether it stopped (a channel closed, a nack, or {@link #close()}): every later call fails */
    boolean isBroken() {
        return failure.get() != null;
    }

    /** @return whether this was the first failure (or the close) */
    private boolean fail(TransportUnavailableException why) {
        if (!failure.compareAndSet(null, why)) {
            return false;
        }
        unconfirmed.values().forEach(waiting -> waiting.completeExceptionally(why));
        unconfirmed.clear();
        unconfirmedById.clear();
        unread.values().forEach(waiting -> waiting.completeExceptionally(why));
        return true;
    }

    private void failIfBroken(CompletableFuture<Void> waiting) {
        TransportUnavailableException why = failure.get();
        if (why != null) {
            waiting.completeExceptionally(why);
            throw new TransportUnavailableException(why.getMessage(), why);
        }
    }

    private void await(CompletableFuture<Void> waiting, long deadline, String what) {
        try {
            waiting.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TransportTimeoutException("ledger stream '" + stream + "': " + what + " within "
                    + commandTimeout, e);
        } catch (ExecutionException e) {
            // A new exception, so that the stack trace shows the caller; the cause says where it failed.
            throw new TransportUnavailableException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException("ledger stream '" + stream + "': interrupted while waiting: "
                    + what, e);
        }
    }

    private static Channel channel(Connection connection, String stream) throws IOException {
        Channel channel = connection.createChannel();
        if (channel == null) {
            throw new TransportUnavailableException("ledger stream '" + stream + "': the connection has no channel"
                    + " left (channel_max reached)", null);
        }
        return channel;
    }

    private static void closeQuietly(Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (Exception e) {
            // already closed, or its connection is: nothing is left to release
        }
    }

    private static String reason(Exception e) {
        Throwable cause = e.getCause() instanceof ShutdownSignalException signal ? signal : e;
        return String.valueOf(cause.getMessage());
    }

    private static long appendedAt(AMQP.BasicProperties properties) {
        Map<String, Object> headers = properties.getHeaders();
        Object value = headers == null ? null : headers.get(APPENDED_AT);
        // A message another writer left without the header is judged by this reader's clock.
        return value instanceof Number number ? number.longValue() : System.currentTimeMillis();
    }

    /** The consumer of the stream: applies each message in order, then acknowledges it (the stream's credit). */
    private final class Tail implements Consumer {

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                   byte[] body) {
            if (failure.get() != null) {
                // Stopped or closed (a connection's automatic recovery may resume this consumer): leave the
                // delivery unacknowledged, so the broker stops after the prefetch instead of replaying the stream.
                return;
            }
            tailed.incrementAndGet();
            long readAt = System.nanoTime();
            try {
                long at = appendedAt(properties);
                try {
                    for (LedgerRecord record : LedgerCodec.decode(body)) {
                        ledger.apply(record, at, readAt);
                    }
                } catch (IllegalArgumentException e) {
                    undecodable.incrementAndGet();
                    LOG.warn("Ledger stream '{}': skipped the message at offset {}: {}", stream,
                            properties.getHeaders() == null ? "?" : properties.getHeaders().get("x-stream-offset"),
                            e.getMessage());
                }
                String messageId = properties.getMessageId();
                CompletableFuture<Void> waiting = messageId == null ? null : unread.get(messageId);
                if (waiting != null) {
                    waiting.complete(null);
                }
                consuming.basicAck(envelope.getDeliveryTag(), false);
            } catch (IOException | RuntimeException e) {
                // The client would close the channel on an exception thrown here; fail clearly instead (closing it
                // from its own consumer thread could deadlock: close() does, from the owner's).
                if (fail(new TransportUnavailableException("ledger stream '" + stream + "' stopped: its tail"
                        + " failed: " + reason(e), e))) {
                    LOG.warn("Ledger stream '{}' stopped: its tail failed; every later call fails", stream, e);
                }
            }
        }

        @Override
        public void handleCancel(String consumerTag) {
            // The broker cancelled the consumer: the stream was deleted, or its leader moved away.
            if (fail(new TransportUnavailableException("ledger stream '" + stream + "' stopped: the broker"
                    + " cancelled its tail (was the stream deleted?)", null))) {
                LOG.warn("Ledger stream '{}' stopped: the broker cancelled its tail; every later call fails", stream);
            }
        }

        @Override
        public void handleConsumeOk(String consumerTag) {
        }

        @Override
        public void handleCancelOk(String consumerTag) {
        }

        @Override
        public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
            // the channel's shutdown listener reports it
        }

        @Override
        public void handleRecoverOk(String consumerTag) {
        }
    }
}
