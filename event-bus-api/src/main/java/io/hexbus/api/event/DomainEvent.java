package io.hexbus.api.event;

import java.time.Instant;
import java.util.UUID;

/**
 * Something that happened in the domain, told to whoever cares.
 *
 * <p>Implement it with an immutable record and give the record a stable name with {@link EventName}:
 *
 * <pre>{@code
 * @EventName("billing.invoice-issued")
 * public record InvoiceIssued(UUID eventId, Instant occurredAt, EventMetadata metadata,
 *                             String invoiceId, long totalCents) implements DomainEvent {}
 * }</pre>
 *
 * <p>The {@link #eventId()} is the idempotency key of every transport: publishing two events with one id
 * delivers the first only (and reports the second as a duplicate where the transport can tell at publish). Create ids with {@link EventIds#newId()}
 * (time-ordered UUIDv7), once, when the event is created, never at publish time.
 *
 * <p>Events that must be handled in the order they were published, such as the events of one invoice, share an
 * {@linkplain #orderingKey() ordering key}: the record overrides {@code orderingKey()} (returning the invoice id, say).
 *
 * <p>Implementations must be immutable and safe to share between threads: a transport may hand one
 * instance to several handlers at once.
 */
public interface DomainEvent {

    /** The longest {@link #orderingKey()} a transport accepts, in characters. */
    int MAX_ORDERING_KEY_LENGTH = 256;

    /**
     * The unique id of this event.
     *
     * @return the id; never null
     */
    UUID eventId();

    /**
     * When the event happened in the domain, which may be earlier than when it was published.
     *
     * @return the instant; never null
     */
    Instant occurredAt();

    /**
     * Correlation, causation, tenant and actor of this event.
     *
     * @return the metadata; {@link EventMetadata#EMPTY} when there is none, never null
     */
    default EventMetadata metadata() {
        return EventMetadata.EMPTY;
    }

    /**
     * What this event is ordered with: a transport that orders by key (Kafka does; the conformance suite's
     * {@code ORDERED_BY_KEY}) hands the events of one key to each subscription in publish order, and holds an
     * event's key while it waits for a retry; events of different keys are in no order to each other. A transport
     * that does not order by key ignores it. It is derived from the event, never written to the wire as a field of
     * its own: an override reads the record's components.
     *
     * <p>An override must return the same non-blank key, at most {@link #MAX_ORDERING_KEY_LENGTH} characters, for
     * the whole life of the event (each time it is called, and after the event was read back from the wire), and
     * be cheap and thread-safe, like a record accessor. Every transport refuses a null, blank or longer key at
     * publish with an {@link io.hexbus.api.publishing.InvalidOrderingKeyException}; the in-memory bus's wire check
     * and the test helpers also refuse one that changes when the event is read back.
     *
     * @return the key; by default the event id as text, which orders the event with nothing else
     */
    default String orderingKey() {
        return eventId().toString();
    }
}
