package io.hexbus.api.publishing;

/**
 * A delayed publish ({@link PublishOptions#deliverAt} or {@link PublishOptions#deliverAfter} in the future) on a
 * transport that cannot hold events until they are due. Refused before anything of the call was delivered or
 * written; retrying cannot help, the transport must change: the Redis and in-memory transports deliver later,
 * Kafka, RabbitMQ and the outbox do not.
 *
 * @since 0.1.0
 */
public class DelayedDeliveryUnsupportedException extends UnpublishableEventException {

    private static final long serialVersionUID = 1L;

    /**
     * @param busClass the bus that refused
     */
    public DelayedDeliveryUnsupportedException(Class<?> busClass) {
        super(busClass.getName() + " cannot deliver events later (PublishOptions.deliverAt/deliverAfter): "
                + "publish them now, or use a transport that supports delayed delivery (Redis, in memory; not Kafka, "
                + "RabbitMQ or the outbox)", null);
    }
}
