package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The messages a worker writes back to its application's queues: a retry waiting in a tier, a hop to the next tier,
 * and a dead-letter retry sent to the due queue. Each is a new physical message (a new {@code message-id}) of the
 * same event, carrying its lineage and round, so that the ledger can tell copies of one round apart from rounds.
 * Pure: builds, sends nothing.
 */
final class RetryMessages {

    private final RabbitNames names;

    /** @param names the application's queues */
    RetryMessages(RabbitNames names) {
        this.names = names;
    }

    /**
     * A round of a message, to wait {@code waitMillis} in the tier that fits it before it is due: a retry (the next
     * round), or a hop (the same round, with the wait it has left).
     *
     * @param message    the message it continues
     * @param round      its round
     * @param progress   its progress, due times as delays from now ({@code ProgressText})
     * @param waitMillis how long it still waits, at least 0
     * @return the message, for the tier's queue through the default exchange
     */
    ConfirmedPublisher.Outgoing toTier(RabbitMessage message, int round, String progress, long waitMillis) {
        RetryTier tier = RetryTier.forRemaining(waitMillis);
        Map<String, Object> headers = routing(message, round, message.lineage());
        headers.put(Wire.PROGRESS, progress);
        headers.put(Wire.WAIT, Math.max(0, waitMillis));
        headers.put(Wire.TIER, tier.label());
        only(headers, message.only());
        return new ConfirmedPublisher.Outgoing("", names.retryQueue(tier.label()), properties(headers),
                message.envelope().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A dead-letter retry: a new lineage of the event (so that the ledger's record of the old one does not drop it),
     * at round 0, for the subscriptions that gave up, due at once.
     *
     * @param eventName     the event name
     * @param eventId       the event id
     * @param envelope      the envelope kept with the dead letter
     * @param subscriptions the subscriptions to run again
     * @param retryId       the retry's id: the same for every copy of one retry, so that the ledger makes them one
     * @return the message, for the due queue through the default exchange
     */
    ConfirmedPublisher.Outgoing deadLetterRetry(String eventName, UUID eventId, String envelope,
                                               List<String> subscriptions, String retryId) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(Wire.NAME, eventName);
        headers.put(Wire.ID, eventId.toString());
        headers.put(Wire.LINEAGE, eventId + "/" + retryId);
        headers.put(Wire.ROUND, 0);
        headers.put(Wire.PUBLISHED_AT, java.time.Instant.now().toString());
        only(headers, Set.copyOf(subscriptions));
        return new ConfirmedPublisher.Outgoing("", names.dueQueue(), properties(headers),
                envelope.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> routing(RabbitMessage message, int round, String lineage) {
        Map<String, Object> headers = new HashMap<>();
        if (message.eventName() != null) {
            headers.put(Wire.NAME, message.eventName());
        }
        if (message.eventId() != null) {
            headers.put(Wire.ID, message.eventId());
        }
        headers.put(Wire.LINEAGE, lineage);
        headers.put(Wire.ROUND, round);
        if (message.publishedAt() >= 0) {
            headers.put(Wire.PUBLISHED_AT, java.time.Instant.ofEpochMilli(message.publishedAt()).toString());
        }
        return headers;
    }

    private static void only(Map<String, Object> headers, Set<String> only) {
        if (!only.isEmpty()) {
            headers.put(Wire.ONLY, String.join(String.valueOf(RabbitMessage.ONLY_SEPARATOR), only));
        }
    }

    private static AMQP.BasicProperties properties(Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder()
                .messageId(UUID.randomUUID().toString())
                .contentType(Wire.CONTENT_TYPE)
                .deliveryMode(Wire.PERSISTENT)
                .headers(headers)
                .build();
    }
}
