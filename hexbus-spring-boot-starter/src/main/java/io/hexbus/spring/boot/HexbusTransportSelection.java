package io.hexbus.spring.boot;

import org.springframework.util.ClassUtils;

import java.util.Locale;
import java.util.Objects;

/**
 * The transport and the mode this context runs, chosen once from {@code hexbus.transport} (or
 * {@code HEXBUS_TRANSPORT}), {@code USE_QUEUE_EVENT_BUS} and {@code hexbus.queue}, as the Guice app chooses: with
 * {@code USE_QUEUE_EVENT_BUS=true} the queue that {@code hexbus.transport} names, else {@code hexbus.queue}, else
 * Redis; without it the transport {@code hexbus.transport} names, else in memory. Immutable.
 *
 * @param transport the chosen transport
 * @param mode      what this process does
 * @param source    the settings that chose it, as written, for messages (such as {@code hexbus.transport=kafka})
 */
public record HexbusTransportSelection(HexbusTransport transport, HexbusMode mode, String source) {

    /** The environment variable of the Guice app that selects the queue. */
    public static final String USE_QUEUE_EVENT_BUS = "USE_QUEUE_EVENT_BUS";

    /**
     * @param transport the chosen transport
     * @param mode      what this process does
     * @param source    the settings that chose it
     */
    public HexbusTransportSelection {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(source, "source");
    }

    /**
     * Chooses the transport; checks nothing on the class path.
     *
     * @param transport   {@code hexbus.transport}, or null when unset
     * @param queue       {@code hexbus.queue}, or null when unset
     * @param useQueue    the value of {@code USE_QUEUE_EVENT_BUS}, or null when unset
     * @param mode        {@code hexbus.mode}
     * @return the choice
     * @throws IllegalArgumentException naming the setting whose value is wrong or contradicts another
     */
    public static HexbusTransportSelection choose(HexbusTransport transport, HexbusTransport queue, String useQueue,
                                                  HexbusMode mode) {
        HexbusTransportSelection chosen = useQueue(useQueue)
                ? queued(transport, queue)
                : transport == null ? new HexbusTransportSelection(HexbusTransport.IN_MEMORY, mode, "the default")
                : new HexbusTransportSelection(transport, mode, "hexbus.transport=" + transport.value());
        HexbusTransportSelection selection = new HexbusTransportSelection(chosen.transport(), mode, chosen.source());
        if (mode == HexbusMode.WORKER && !selection.transport().isQueue()) {
            throw new IllegalArgumentException("hexbus.mode=worker needs a queue that delivers, and the transport is "
                    + selection.transport().value() + " (" + selection.source() + "): use api or all, or set"
                    + " hexbus.transport to redis, kafka or rabbitmq");
        }
        return selection;
    }

    /**
     * @param classLoader where the transport's classes are looked for
     * @return this selection
     * @throws IllegalStateException naming the missing artifact and the setting that asked for it
     */
    public HexbusTransportSelection requireOnClassPath(ClassLoader classLoader) {
        if (transport.isQueue() && !ClassUtils.isPresent(transport.transportClass(), classLoader)) {
            throw new IllegalStateException(source + " needs io.hexbus:" + transport.artifactId()
                    + " on the classpath: add that dependency, or choose another hexbus.transport");
        }
        return this;
    }

    private static HexbusTransportSelection queued(HexbusTransport transport, HexbusTransport queue) {
        if (transport == HexbusTransport.IN_MEMORY) {
            throw new IllegalArgumentException("hexbus.transport=in-memory contradicts " + USE_QUEUE_EVENT_BUS
                    + "=true, which asks for a queue: unset one of them");
        }
        if (transport != null) {
            return new HexbusTransportSelection(transport, HexbusMode.ALL, USE_QUEUE_EVENT_BUS
                    + "=true with hexbus.transport=" + transport.value());
        }
        HexbusTransport chosen = queue == null ? HexbusTransport.REDIS : queue;
        return new HexbusTransportSelection(chosen, HexbusMode.ALL, USE_QUEUE_EVENT_BUS + "=true with hexbus.queue="
                + chosen.value() + (queue == null ? " (the default)" : ""));
    }

    private static boolean useQueue(String value) {
        String text = value == null ? "" : value.trim();
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "", "false" -> false;
            case "true" -> true;
            default -> throw new IllegalArgumentException(USE_QUEUE_EVENT_BUS + "='" + text + "' is not allowed:"
                    + " use true (a queue, which hexbus.transport or hexbus.queue names) or false (in memory, the"
                    + " default)");
        };
    }
}
