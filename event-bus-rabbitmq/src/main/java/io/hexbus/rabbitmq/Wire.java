package io.hexbus.rabbitmq;

/**
 * The message headers of the transport (docs/rabbitmq-transport.md, "Messages"), and the content type of a body.
 * Constants only.
 */
final class Wire {

    /** The event name: a worker routes without parsing the JSON. */
    static final String NAME = "hexbus-name";
    /** The event id. */
    static final String ID = "hexbus-id";
    /** The round: 0 on publish, +1 per retry. */
    static final String ROUND = "hexbus-round";
    /** The lineage: the event id; a dead-letter retry's is {@code <event id>/<retry id>}. */
    static final String LINEAGE = "hexbus-lineage";
    /** When the event was published, ISO-8601 (the envelope's {@code publishedAt}). */
    static final String PUBLISHED_AT = "hexbus-published-at";
    /** A retry's progress: what earlier rounds recorded, due times as delays ({@link ProgressText}). */
    static final String PROGRESS = ProgressText.HEADER;
    /** The subscriptions a dead-letter retry is for, one per line; absent: all. */
    static final String ONLY = "hexbus-only";
    /** The wait a retry had left when it was written to a retry tier, in milliseconds. */
    static final String WAIT = "hexbus-wait";
    /** The retry tier it was written to: {@link RetryTier#label()}. */
    static final String TIER = "hexbus-tier";
    /** The body's content type: the envelope's JSON. */
    static final String CONTENT_TYPE = "application/json";
    /** AMQP's delivery mode of a message written to disk. */
    static final int PERSISTENT = 2;

    private Wire() {
    }
}
