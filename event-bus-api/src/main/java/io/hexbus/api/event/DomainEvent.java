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
 * <p>Implementations must be immutable and safe to share between threads: a transport may hand one
 * instance to several handlers at once.
 */
public interface DomainEvent {

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
}
