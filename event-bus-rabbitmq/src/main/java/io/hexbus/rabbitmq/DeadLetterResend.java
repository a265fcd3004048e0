package io.hexbus.rabbitmq;

import io.hexbus.api.admin.DeadLetter;

import java.util.List;

/**
 * The transport's way back for a dead-lettered event: publishes it again, to the due queue, for the given
 * subscriptions only, with their attempts from zero and the lineage {@code <event id>/<retryId>}.
 * {@link RabbitDeadLetters} calls it for a retry and records the dead letter as retried only once it returned.
 *
 * <p>An implementation must be thread-safe (admin calls may run at once) and returns once the broker confirmed.
 * {@code retryId} is derived from the dead letter's record ({@link DeadLetterFold.Kept#retryId()}): two admins
 * retrying one dead letter at once pass the same, so their two copies have one lineage and the workers' ledger runs
 * it once.
 */
@FunctionalInterface
interface DeadLetterResend {

    /**
     * Queues a dead-lettered event again.
     *
     * @param letter        the dead letter: its envelope, event id and name
     * @param subscriptions the subscriptions to run it for: its failed ones
     * @param retryId       the retry's id, the second part of its lineage
     * @throws RuntimeException any failure, such as a
     *                          {@link io.hexbus.api.transport.TransportUnavailableException}: the dead letter stays,
     *                          and the caller of the retry sees the exception
     */
    void resend(DeadLetter letter, List<String> subscriptions, String retryId);
}
