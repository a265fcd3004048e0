package io.hexbus.rabbitmq;

/**
 * A queue or exchange of the transport exists on the broker with another shape than the transport declares (a
 * classic queue where a quorum queue is expected, another TTL or delivery limit, another exchange type): RabbitMQ
 * refuses such a declaration with {@code 406 PRECONDITION_FAILED}. The message names the queue or exchange, the
 * argument, both values and the fix.
 *
 * <p>An {@link IllegalStateException}, as the Kafka transport reports a topic of another shape, and deliberately not
 * a {@link io.hexbus.api.transport.TransportUnavailableException}: the broker is up and answering, and retrying
 * cannot help; an adapter that treats an outage as retryable must not wait for this one to pass.
 */
public class RabbitTopologyMismatchException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The queue or exchange. */
    private final String name;

    /**
     * @param name    the queue or exchange that differs
     * @param message what differs and how to fix it
     * @param cause   the client's exception carrying the broker's refusal
     */
    public RabbitTopologyMismatchException(String name, String message, Throwable cause) {
        super(message, cause);
        this.name = name;
    }

    /** @return the queue or exchange that differs */
    public String name() {
        return name;
    }
}
