package io.hexbus.api.event;

import java.util.Objects;

/**
 * Who and what an event belongs to, beside its payload. Every field is optional and null when absent.
 *
 * <p>Immutable and thread-safe. Values are at most MAX_LENGTH characters and never blank.
 *
 * @param correlationId the id shared by every event of one business flow, or null
 * @param causationId   the id of the event or command that caused this one, or null
 * @param tenantId      the tenant the event belongs to, or null
 * @param performedBy   who performed the action (a user or system id), or null
 */
public record EventMetadata(String correlationId, String causationId, String tenantId, String performedBy) {

    /** The longest value a metadata field may hold. */
    public static final int MAX_LENGTH = 256;

    /** Metadata with every field absent. */
    public static final EventMetadata EMPTY = new EventMetadata(null, null, null, null);

    /**
     * Checks every present field.
     *
     * @param correlationId the id shared by every event of one business flow, or null
     * @param causationId the id of the event or command that caused this one, or null
     * @param tenantId the tenant the event belongs to, or null
     * @param performedBy who performed the action (a user or system id), or null
     * @throws IllegalArgumentException naming the field that is blank or longer than MAX_LENGTH
     */
    public EventMetadata {
        check("correlationId", correlationId);
        check("causationId", causationId);
        check("tenantId", tenantId);
        check("performedBy", performedBy);
    }

    /**
     * The metadata of an event caused by {@code cause}: same correlation (or the cause's id when it had
     * none), the cause's id as causation, same tenant; the actor is kept.
     *
     * @param cause the event being handled
     * @return metadata for the follow-up event
     */
    public static EventMetadata causedBy(DomainEvent cause) {
        Objects.requireNonNull(cause, "cause");
        EventMetadata parent = cause.metadata();
        String id = cause.eventId().toString();
        String correlation = parent.correlationId() != null ? parent.correlationId() : id;
        return new EventMetadata(correlation, id, parent.tenantId(), parent.performedBy());
    }

    /**
     * @param value the correlation id, or null to clear it
     * @return a copy with that correlation id
     */
    public EventMetadata withCorrelationId(String value) {
        return new EventMetadata(value, causationId, tenantId, performedBy);
    }

    /**
     * @param value the causation id, or null to clear it
     * @return a copy with that causation id
     */
    public EventMetadata withCausationId(String value) {
        return new EventMetadata(correlationId, value, tenantId, performedBy);
    }

    /**
     * @param value the tenant id, or null to clear it
     * @return a copy with that tenant id
     */
    public EventMetadata withTenantId(String value) {
        return new EventMetadata(correlationId, causationId, value, performedBy);
    }

    /**
     * @param value who performed the action, or null to clear it
     * @return a copy with that actor
     */
    public EventMetadata withPerformedBy(String value) {
        return new EventMetadata(correlationId, causationId, tenantId, value);
    }

    private static void check(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException("EventMetadata." + field + " is blank: leave it null when absent");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("EventMetadata." + field + " has " + value.length()
                    + " characters, more than the limit of " + MAX_LENGTH);
        }
    }
}
