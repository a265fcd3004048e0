package io.hexbus.api.conformance;

/**
 * What a transport claims beyond the common contract. Tests that need a capability run only for transports
 * that declare it; the others skip them with a reason. A capability claimed is a capability tested: each names
 * the contract whose tests hold it.
 */
public enum TransportCapability {

    /**
     * {@code publish} returns after handlers ran, in the caller's thread, and throws their failures.
     * {@link EventBusContract}.
     */
    SYNCHRONOUS,

    /** Handlers run after {@code publish} returns, in other threads or processes; failures are not thrown. */
    ASYNCHRONOUS,

    /**
     * {@code publish} answers {@link io.hexbus.api.publishing.PublishOutcome#DUPLICATE} for an id published before
     * within the dedupe window: the transport can write on a condition (Redis's {@code SET NX}, a map in memory).
     * Without it (Kafka has no conditional write) {@code publish} answers {@code PUBLISHED} and the duplicate is
     * dropped where it is consumed. Either way each subscription runs once per id. {@link EventBusContract}.
     */
    REPORTS_DUPLICATES,

    /**
     * Events outlive the transport that published them: a worker of another transport on the same queue (another
     * process) handles them. {@link QueuedTransportContract}.
     */
    PERSISTENT,

    /**
     * Failed subscriptions are retried per their retry policy, after its backoff, and dead-lettered with the last
     * error once it is spent; a retry runs only the subscriptions that failed. {@link QueuedTransportContract}.
     */
    RETRIES,

    /**
     * An event whose worker stopped mid-handler (crashed, or closed past its shutdown deadline) is taken over by
     * another worker once its lease lapsed, and counted as a takeover, not an attempt; a live worker keeps the
     * lease of a slow handler. {@link QueuedTransportContract}.
     */
    TAKEOVER,

    /**
     * The queue carries messages that no hexbus bus wrote (another producer, a bug, an attacker), so a worker
     * must dead-letter what it cannot read, with the reason; the fixture can write such a message
     * ({@link QueuedTransportUnderTest#injectRaw}). {@link QueuedTransportContract}.
     */
    RAW_INPUT,

    /**
     * Events of one {@linkplain io.hexbus.api.event.DomainEvent#orderingKey() ordering key}, published one after
     * another, reach each subscription in publish order, however many workers and slots run them; an event waiting
     * for a retry holds back the later events of its key only (they follow its retry, in order), never those of
     * other keys. Not claimed: any order between keys, and an order for events published at once from several
     * threads (their publish order is whatever the transport received). {@link QueuedTransportContract}.
     */
    ORDERED_BY_KEY,

    /**
     * A subscription with a {@link io.hexbus.api.handling.RateLimit} runs at most {@code runs} handlers in any
     * sliding window of {@code per}, across every worker of the group; an event finding no permit is postponed,
     * neither run nor counted as a failed attempt, while the event's other subscriptions run at once. A queued
     * transport that does not claim it refuses to start a worker with a rate-limited subscription, naming it.
     * {@link QueuedTransportContract}.
     */
    RATE_LIMITS,

    // --- Delayed events (issue 19, item 1) ---

    /**
     * {@code publish(event, PublishOptions.deliverAfter(...))} (or {@code deliverAt}) delivers the event once due on
     * the broker's clock, never before; while it waits it holds no worker slot, counts as
     * {@link io.hexbus.api.admin.QueueStats#scheduled()} (not waiting), survives a restart of the transport, and its
     * id is deduplicated at publish as an immediate event's is. A transport without it refuses a delayed publish with
     * {@link io.hexbus.api.publishing.DelayedDeliveryUnsupportedException} and delivers nothing.
     * {@link EventBusContract}, {@link QueuedTransportContract}.
     */
    DELAYED_DELIVERY,

    // --- Event progress (issue 18) ---

    /**
     * {@link io.hexbus.api.admin.QueueAdmin#eventProgress(java.util.UUID)} finds an event that no worker has taken
     * yet, by its id, and reports each of the application's subscriptions of it as waiting. Without it, the admin
     * knows an event only once a worker ran it (done, waiting for a retry, dead). {@link QueuedTransportContract}.
     */
    PROGRESS_OF_WAITING_EVENTS
}
