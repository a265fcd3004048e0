package io.hexbus.api.event;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventMetadataTest {

    record Happened(UUID eventId, Instant occurredAt, EventMetadata metadata) implements DomainEvent {
    }

    @Test
    void aFollowUpKeepsTheCorrelationAndPointsAtItsCause() {
        Happened cause = new Happened(EventIds.newId(), Instant.now(),
                EventMetadata.EMPTY.withCorrelationId("flow-1").withTenantId("acme").withPerformedBy("ana"));

        EventMetadata followUp = EventMetadata.causedBy(cause);

        assertEquals(new EventMetadata("flow-1", cause.eventId().toString(), "acme", "ana"), followUp);
    }

    @Test
    void theFirstEventOfAFlowStartsTheCorrelation() {
        Happened cause = new Happened(EventIds.newId(), Instant.now(), EventMetadata.EMPTY);

        EventMetadata followUp = EventMetadata.causedBy(cause);

        assertEquals(cause.eventId().toString(), followUp.correlationId());
        assertEquals(cause.eventId().toString(), followUp.causationId());
    }

    @Test
    void aBlankOrOversizedFieldIsRefusedByName() {
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> EventMetadata.EMPTY.withTenantId(" "));
        IllegalArgumentException longer = assertThrows(IllegalArgumentException.class,
                () -> EventMetadata.EMPTY.withPerformedBy("x".repeat(257)));

        assertEquals("EventMetadata.tenantId is blank: leave it null when absent", blank.getMessage());
        assertEquals("EventMetadata.performedBy has 257 characters, more than the limit of 256", longer.getMessage());
    }
}
