package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.api.handling.Tracing;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Publishes events to a bus's events exchange on RabbitMQ ({@code <prefix>.events}).
 *
 * <ul>
 *   <li>Every event is encoded and checked by the codec first (type registered, encodable, within the size limit,
 *       a valid ordering key): a refused event refuses its whole batch before anything is sent, with the same
 *       exceptions as every transport.</li>
 *   <li>A message per event, routed by the event name (the application's work queues are bound by it), persistent,
 *       {@code content-type: application/json}, its body the envelope; {@code message-id} a new UUID (the message's
 *       own id); headers {@code hexbus-name}, {@code hexbus-id}, {@code hexbus-round} = 0, {@code hexbus-lineage} =
 *       the event id and {@code hexbus-published-at}. An event no application is bound for goes to the alternate
 *       exchange's queue {@code <prefix>.unrouted}, never dropped.</li>
 *   <li>{@code publish} returns once the broker confirmed the message (publisher confirms). {@code publishAll}
 *       sends the batch on one channel, then waits for every confirm: it returns only once every event is
 *       confirmed, but AMQP has no atomic write of several messages, so a call that threw may have published some
 *       of them. Publishing the batch again is safe: the event id is the idempotency key, and workers drop the
 *       duplicates.</li>
 *   <li><b>Duplicates:</b> RabbitMQ has no conditional write, so this bus answers {@link PublishOutcome#PUBLISHED}
 *       for an id published before; the duplicate is dropped where it is consumed.</li>
 *   <li>While the broker cannot be used, a call fails within about the command timeout with an
 *       {@link EventPublishingException} naming the broker (never its password), whose cause is a
 *       {@link TransportTimeoutException} (no confirm in time: the event may still have been published) or a
 *       {@link TransportUnavailableException} (unreachable, a negative confirm, publishing blocked by a resource
 *       alarm, closed). A lost connection is opened again by the next call.</li>
 * </ul>
 *
 * <p>Thread-safe: any number of threads publish at once, each on a confirm channel of its own from a small pool over
 * one connection. {@link #close()} closes the connection.
 */
public final class RabbitEventBus implements EventBus, AutoCloseable {

    private final ConfirmChannels channels;
    private final EventCodec codec;
    private final DeliveryObserver observer;
    private final Tracing tracing;
    private final RabbitQueueSettings settings;
    private final String broker;
    private final Clock clock;
    private volatile boolean closed;

    private RabbitEventBus(ConfirmChannels channels, EventCodec codec, DeliveryObserver observer, Tracing tracing,
                           RabbitQueueSettings settings, String broker, Clock clock) {
        this.tracing = tracing;
        this.channels = channels;
        this.codec = codec;
        this.observer = observer;
        this.settings = settings;
        this.broker = broker;
        this.clock = clock;
    }

    /**
     * Connects: opens a connection, and declares the events exchange, its alternate exchange and the unrouted
     * queue ({@link RabbitTopology#declareExchange}).
     *
     * @param connection where the broker is
     * @param settings   the names and timeouts
     * @param codec      writes the envelopes; its size limit bounds a message
     * @param observer   told of every event published
     * @return the bus; close it when done
     * @throws TransportUnavailableException   if the broker cannot be used within the command timeout, naming it
     * @throws RabbitTopologyMismatchException if the exchange or the unrouted queue exists with another shape
     */
    public static RabbitEventBus connect(RabbitConnectionSettings connection, RabbitQueueSettings settings,
                                         EventCodec codec, DeliveryObserver observer) {
        return connect(connection, settings, codec, observer, Tracing.NONE);
    }

    /**
     * Connects as {@link #connect(RabbitConnectionSettings, RabbitQueueSettings, EventCodec, DeliveryObserver)} does,
     * with the tracing that gives each published event its trace context (written in its envelope).
     *
     * @param connection where the broker is
     * @param settings   the names and timeouts
     * @param codec      writes the envelopes; its size limit bounds a message
     * @param observer   told of every event published
     * @param tracing    asked for each event's trace context at publish, such as the processor's
     *                   {@link io.hexbus.api.handling.DomainEventsProcessor#tracing()}
     * @return the bus; close it when done
     * @throws TransportUnavailableException   if the broker cannot be used within the command timeout, naming it
     * @throws RabbitTopologyMismatchException if the exchange or the unrouted queue exists with another shape
     * @since 0.1.0
     */
    public static RabbitEventBus connect(RabbitConnectionSettings connection, RabbitQueueSettings settings,
                                         EventCodec codec, DeliveryObserver observer, Tracing tracing) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(settings, "settings");
        String name = "hexbus-publisher " + settings.prefix();
        return open(() -> connection.connect(name, settings.commandTimeout()), "RabbitMQ at " + connection.describe(),
                settings, codec, observer, tracing);
    }

    /**
     * Opens a bus on connections from {@code opener} (the transport's, which may share its settings): the first
     * now, another whenever the last was lost.
     *
     * @param opener   opens a connection, or throws {@link TransportUnavailableException}
     * @param broker   the broker, for messages
     * @param settings the names and timeouts
     * @param codec    writes the envelopes
     * @param observer told of every event published
     * @param tracing  asked for each event's trace context at publish
     * @return the bus
     */
    static RabbitEventBus open(Supplier<Connection> opener, String broker, RabbitQueueSettings settings,
                               EventCodec codec, DeliveryObserver observer, Tracing tracing) {
        Objects.requireNonNull(tracing, "tracing");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(observer, "observer");
        ConfirmChannels channels = new ConfirmChannels(opener, broker, settings.commandTimeout());
        try {
            RabbitTopology.declareExchange(channels.connection(), settings);
        } catch (RuntimeException e) {
            channels.close();
            throw e;
        }
        return new RabbitEventBus(channels, codec, observer, tracing, settings, broker, Clock.systemUTC());
    }

    /** A delayed publish is refused after the checks of an immediate one: this transport cannot delay. */
    @Override
    public void checkPublishable(List<? extends DomainEvent> events) {
        codec.encodeAll(events, clock.instant());
    }

    @Override
    public List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return List.of();
        }
        Instant publishedAt = clock.instant();
        List<EncodedEvent> encoded = codec.encodeAll(events, publishedAt, tracing);
        if (closed) {
            throw refused(encoded.size(), new TransportUnavailableException("its RabbitMQ transport is closed", null));
        }
        try {
            send(encoded, publishedAt);
        } catch (TransportUnavailableException e) {
            throw refused(encoded.size(), closed ? new TransportUnavailableException("its RabbitMQ transport is"
                    + " closed", e) : e);
        }
        for (EncodedEvent e : encoded) {
            observer.published(e.name(), e.eventId(), false);
        }
        return Collections.nCopies(encoded.size(), PublishOutcome.PUBLISHED);
    }

    /** Publishes every message on one channel, then waits for their confirms, all within the command timeout. */
    private void send(List<EncodedEvent> encoded, Instant publishedAt) {
        long deadline = System.nanoTime() + settings.commandTimeout().toNanos();
        Channel channel = channels.take(settings.commandTimeout());
        String what = "publishing " + encoded.size() + " event(s)";
        try {
            boolean confirmed = RabbitCalls.run(channel, what, broker, ch -> {
                for (EncodedEvent e : encoded) {
                    ch.basicPublish(settings.names().exchange(), e.name(), false, properties(e, publishedAt),
                            e.json().getBytes(StandardCharsets.UTF_8));
                }
                long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                try {
                    return ch.waitForConfirms(left);
                } catch (TimeoutException e) {
                    throw new TimeoutException("no confirm within " + settings.commandTimeout().toMillis() + " ms");
                }
            });
            if (!confirmed) {
                throw new TransportUnavailableException(what + ": " + broker + " refused (a negative confirm): it"
                        + " could not write every message", null);
            }
            channels.giveBack(channel);
        } catch (RuntimeException e) {
            channels.discard(channel);
            throw e;
        }
    }

    private static AMQP.BasicProperties properties(EncodedEvent e, Instant publishedAt) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(Wire.NAME, e.name());
        headers.put(Wire.ID, e.eventId().toString());
        headers.put(Wire.ROUND, 0);
        headers.put(Wire.LINEAGE, e.eventId().toString());
        headers.put(Wire.PUBLISHED_AT, publishedAt.toString());
        return new AMQP.BasicProperties.Builder()
                .contentType(Wire.CONTENT_TYPE)
                .deliveryMode(Wire.PERSISTENT)
                .messageId(UUID.randomUUID().toString())
                .timestamp(Date.from(publishedAt))
                .headers(headers)
                .build();
    }

    private EventPublishingException refused(int count, TransportUnavailableException cause) {
        return new EventPublishingException("could not publish " + count + " event(s) to " + broker + ": "
                + cause.getMessage(), cause);
    }

    /** Closes the connection, within the command timeout; a publish in flight then fails. Idempotent. */
    @Override
    public void close() {
        closed = true;
        channels.close();
    }
}
