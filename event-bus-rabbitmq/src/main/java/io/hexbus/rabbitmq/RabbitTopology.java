package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.hexbus.api.transport.TransportUnavailableException;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Declares what the transport uses on RabbitMQ (docs/rabbitmq-transport.md, "Topology"), idempotently: a declaration
 * equal to what exists changes nothing, one that differs is refused by the broker and reported as a
 * {@link RabbitTopologyMismatchException}. Every call runs on a channel of its own, closed after it, so a refusal
 * (which closes its channel) leaves the caller's channels open. Stateless; blocking, each broker call bounded by the
 * connection's RPC timeout ({@link RabbitConnectionSettings#connect}).
 *
 * <p>Verified on RabbitMQ 3.10.8: quorum queues take {@code x-message-ttl}, {@code x-delivery-limit},
 * {@code x-dead-letter-strategy: at-least-once} (with {@code x-overflow: reject-publish}, which it needs); streams
 * are declared and read over AMQP 0.9.1 (consumed with a prefetch and manual acknowledgements, never with
 * {@code basic.get}, which the broker answers by closing the connection).
 */
public final class RabbitTopology {

    /** The size of a stream's segment files: retention deletes whole segments, so a small one lets it apply. */
    static final int STREAM_SEGMENT_BYTES = 4 * 1024 * 1024;

    private static final Pattern INEQUIVALENT = Pattern.compile(
            ".*inequivalent arg '([^']*)' for (queue|exchange) '(.*)' in vhost '(.*)': received (.*) but current is"
                    + " (.*)", Pattern.DOTALL);
    private static final Pattern TYPED_VALUE = Pattern.compile("the value '(.*)' of type '[a-z]+'", Pattern.DOTALL);
    private static final int PRECONDITION_FAILED = 406;

    private RabbitTopology() {
    }

    /**
     * Declares the bus's exchanges ({@link #declareExchange}) and everything of one application: its work queue,
     * bound to the events exchange by {@code #} (every application sees every event, and counts those it has no
     * subscription for as unhandled, as on every transport); its due, retry-tier and poison queues; its ledger,
     * dead-letter and statistics streams.
     *
     * @param connection an open connection
     * @param settings   the names and retentions
     * @throws RabbitTopologyMismatchException if a queue or exchange exists with another shape, naming it, the
     *                                         argument, both values and the fix
     * @throws TransportUnavailableException   if the broker cannot be used (a timeout as its subclass)
     */
    public static void declare(Connection connection, RabbitQueueSettings settings) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(settings, "settings");
        declareExchange(connection, settings);
        RabbitNames n = settings.names();
        RabbitCalls.onNewChannel(connection, "declaring the queues of " + n.workQueue(), channel -> {
            String broker = RabbitCalls.broker(connection);
            queue(channel, broker, n.poisonQueue(), quorum());
            queue(channel, broker, n.dueQueue(), workQueueArguments(settings));
            queue(channel, broker, n.workQueue(), workQueueArguments(settings));
            for (RetryTier tier : RetryTier.values()) {
                queue(channel, broker, n.retryQueue(tier.label()), retryQueueArguments(settings, tier));
            }
            queue(channel, broker, n.ledgerStream(), stream(settings.dedupeWindow()));
            queue(channel, broker, n.deadLetterStream(), stream(settings.deadLetterRetention()));
            queue(channel, broker, n.statsStream(), stream(settings.statsRetention()));
            channel.queueBind(n.workQueue(), n.exchange(), "#");
            return null;
        });
    }

    /**
     * Declares what a publisher needs: the events exchange ({@code <prefix>.events}, topic, durable) with its
     * alternate exchange ({@code <prefix>.unrouted}, fanout) and the queue that keeps what no application is bound
     * for, for the dead-letter retention.
     *
     * @param connection an open connection
     * @param settings   the prefix and the retention
     * @throws RabbitTopologyMismatchException if one exists with another shape, naming it, the argument, both
     *                                         values and the fix
     * @throws TransportUnavailableException   if the broker cannot be used (a timeout as its subclass)
     */
    public static void declareExchange(Connection connection, RabbitQueueSettings settings) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(settings, "settings");
        RabbitNames n = settings.names();
        RabbitCalls.onNewChannel(connection, "declaring the exchange " + n.exchange(), channel -> {
            String broker = RabbitCalls.broker(connection);
            exchange(channel, broker, n.unroutedExchange(), BuiltinExchangeType.FANOUT, Map.of());
            // No x-queue-type: a classic queue is the default, and naming it would differ from one declared without.
            queue(channel, broker, n.unroutedQueue(), Map.of("x-message-ttl",
                    settings.deadLetterRetention().toMillis()));
            channel.queueBind(n.unroutedQueue(), n.unroutedExchange(), "");
            exchange(channel, broker, n.exchange(), BuiltinExchangeType.TOPIC,
                    Map.of("alternate-exchange", n.unroutedExchange()));
            return null;
        });
    }

    /**
     * @param settings the delivery limit and names
     * @return the arguments of the work queue and the due queue: quorum, the delivery limit, at-least-once
     *         dead-lettering to the poison queue
     */
    static Map<String, Object> workQueueArguments(RabbitQueueSettings settings) {
        Map<String, Object> arguments = quorum();
        arguments.put("x-delivery-limit", settings.deliveryLimit());
        deadLetterTo(arguments, settings.names().poisonQueue());
        return arguments;
    }

    /**
     * @param settings the names
     * @param tier     the tier
     * @return the arguments of a retry tier's queue: quorum, the tier's wait as message TTL, at-least-once
     *         dead-lettering to the due queue
     */
    static Map<String, Object> retryQueueArguments(RabbitQueueSettings settings, RetryTier tier) {
        Map<String, Object> arguments = quorum();
        arguments.put("x-message-ttl", tier.waitMillis());
        deadLetterTo(arguments, settings.names().dueQueue());
        return arguments;
    }

    /**
     * @param maxAge how long the stream keeps a message
     * @return the arguments of a stream: its {@code x-max-age} in whole seconds, rounded up, and small segments
     */
    static Map<String, Object> stream(Duration maxAge) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("x-queue-type", "stream");
        arguments.put("x-max-age", maxAge.plusNanos(999_999_999L).getSeconds() + "s");
        arguments.put("x-stream-max-segment-size-bytes", STREAM_SEGMENT_BYTES);
        return arguments;
    }

    private static Map<String, Object> quorum() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("x-queue-type", "quorum");
        return arguments;
    }

    // At-least-once dead-lettering needs reject-publish overflow; the broker falls back to at-most-once without it.
    private static void deadLetterTo(Map<String, Object> arguments, String queue) {
        arguments.put("x-dead-letter-exchange", "");
        arguments.put("x-dead-letter-routing-key", queue);
        arguments.put("x-dead-letter-strategy", "at-least-once");
        arguments.put("x-overflow", "reject-publish");
    }

    private static void queue(Channel channel, String broker, String name, Map<String, Object> arguments)
            throws IOException {
        try {
            channel.queueDeclare(name, true, false, false, arguments);
        } catch (IOException e) {
            throwIfMismatch(e, "queue", name, broker);
            throw e;
        }
    }

    private static void exchange(Channel channel, String broker, String name, BuiltinExchangeType type,
                                 Map<String, Object> arguments) throws IOException {
        try {
            channel.exchangeDeclare(name, type, true, false, false, arguments);
        } catch (IOException e) {
            throwIfMismatch(e, "exchange", name, broker);
            throw e;
        }
    }

    /** Throws the broker's 406 as a mismatch naming what differs; anything else is left to RabbitCalls. */
    private static void throwIfMismatch(IOException e, String kind, String name, String broker) {
        ShutdownSignalException shutdown = RabbitCalls.shutdownOf(e);
        if (shutdown != null && shutdown.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == PRECONDITION_FAILED) {
            throw new RabbitTopologyMismatchException(name, describe(kind, name, broker, close.getReplyText()), e);
        }
    }

    /**
     * @param kind      {@code queue} or {@code exchange}
     * @param name      its name
     * @param broker    the broker
     * @param replyText the broker's refusal, e.g. {@code PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for
     *                  queue 'q' in vhost '/': received the value 'quorum' of type 'longstr' but current is none}
     * @return what differs and the fix
     */
    static String describe(String kind, String name, String broker, String replyText) {
        String fix = ": delete it (" + ("queue".equals(kind) ? "losing the messages it holds, " : "")
                + "e.g. rabbitmqctl delete_" + kind + " " + name + ") so that the transport declares it anew, or use"
                + " another prefix";
        Matcher matcher = INEQUIVALENT.matcher(replyText);
        if (!matcher.matches()) {
            return "RabbitMQ " + kind + " '" + name + "' at " + broker + " exists with another shape than the"
                    + " transport declares (" + replyText + ")" + fix;
        }
        return "RabbitMQ " + kind + " '" + name + "' at " + broker + " (vhost " + matcher.group(4) + ") exists with "
                + matcher.group(1) + " " + value(matcher.group(6)) + ", but the transport declares it with "
                + matcher.group(1) + " " + value(matcher.group(5)) + fix;
    }

    /** The broker's {@code the value 'x' of type 'longstr'} as {@code 'x'}; {@code none} as {@code unset}. */
    private static String value(String brokers) {
        Matcher typed = TYPED_VALUE.matcher(brokers);
        if (typed.matches()) {
            return "'" + typed.group(1) + "'";
        }
        return "none".equals(brokers) ? "unset" : brokers;
    }

    /** @return the kinds of queue each name of the topology has, for tests and the admin: name to queue type */
    static Map<String, String> queueTypes(RabbitNames n) {
        Map<String, String> types = new LinkedHashMap<>();
        types.put(n.unroutedQueue(), "classic");
        types.put(n.workQueue(), "quorum");
        types.put(n.dueQueue(), "quorum");
        types.put(n.poisonQueue(), "quorum");
        for (RetryTier tier : RetryTier.values()) {
            types.put(n.retryQueue(tier.label()), "quorum");
        }
        for (String stream : List.of(n.ledgerStream(), n.deadLetterStream(), n.statsStream())) {
            types.put(stream, "stream");
        }
        return types;
    }
}
