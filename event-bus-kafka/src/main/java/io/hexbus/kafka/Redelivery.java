package io.hexbus.kafka;

import io.hexbus.api.admin.DeadLetter;

/**
 * The transport's way back for a dead-lettered event: sends it again to the subscriptions that failed on it, and
 * only to those, with their attempts starting from zero. {@link KafkaDeadLetters} calls it for a retry and removes
 * the dead letter (writes its tombstone) only once it returned {@code true}.
 *
 * <p>An implementation must be thread-safe (admin calls may run at once) and may block until what it wrote is
 * acknowledged. The event it sends back must not run before the dead letter's tombstone can follow: a redelivery
 * that went through a retry tier (a wait of at least a second) satisfies this; one that ran at once and failed
 * again could have its new dead letter removed by the tombstone written after it.
 */
@FunctionalInterface
interface Redelivery {

    /**
     * Queues a dead-lettered event again for its failed subscriptions.
     *
     * @param deadLetter the dead letter: its envelope and {@link DeadLetter#failedSubscriptions()}
     * @return true once the event is durably queued again; false if it was not (the dead letter stays)
     * @throws RuntimeException any failure, such as a
     *                          {@link io.hexbus.api.transport.TransportUnavailableException}: the dead letter stays,
     *                          and the caller of the retry sees the exception
     */
    boolean redeliver(DeadLetter deadLetter);
}
