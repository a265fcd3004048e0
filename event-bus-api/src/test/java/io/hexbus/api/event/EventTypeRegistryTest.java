package io.hexbus.api.event;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventTypeRegistryTest {

    @EventName("billing.invoice-issued")
    record InvoiceIssued(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    @EventName("billing.invoice-issued")
    record SameNameOtherClass(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    record Unannotated(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    @EventName("has spaces")
    record BadlyNamed(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    private final EventTypeRegistry registry = new EventTypeRegistry();

    @Test
    void mapsANameToItsTypeBothWays() {
        registry.register(InvoiceIssued.class);

        assertEquals("billing.invoice-issued", registry.nameOf(InvoiceIssued.class));
        assertEquals(Optional.of(InvoiceIssued.class), registry.typeOf("billing.invoice-issued"));
        assertEquals(Set.of("billing.invoice-issued"), registry.names());
    }

    @Test
    void registeringTheSamePairAgainIsANoOp() {
        registry.register(InvoiceIssued.class).register("billing.invoice-issued", InvoiceIssued.class);

        assertEquals(Set.of("billing.invoice-issued"), registry.names());
    }

    @Test
    void refusesASecondTypeForOneName() {
        registry.register(InvoiceIssued.class);

        DuplicateEventTypeException thrown = assertThrows(DuplicateEventTypeException.class,
                () -> registry.register(SameNameOtherClass.class));

        assertEquals("event name 'billing.invoice-issued' is already registered for " + InvoiceIssued.class.getName()
                + ", cannot register it for " + SameNameOtherClass.class.getName(), thrown.getMessage());
    }

    @Test
    void refusesASecondNameForOneType() {
        registry.register(InvoiceIssued.class);

        DuplicateEventTypeException thrown = assertThrows(DuplicateEventTypeException.class,
                () -> registry.register("billing.other", InvoiceIssued.class));

        assertTrue(thrown.getMessage().contains("already registered as 'billing.invoice-issued'"), thrown.getMessage());
    }

    @Test
    void anUnknownNameResolvesToNothingAndItsErrorListsTheKnownNames() {
        registry.register(InvoiceIssued.class);

        assertEquals(Optional.empty(), registry.typeOf("java.lang.Runtime"));
        UnknownEventTypeException thrown = assertThrows(UnknownEventTypeException.class,
                () -> registry.requireTypeOf("billing.nope"));
        assertEquals("unknown event name 'billing.nope'; registered names: [billing.invoice-issued]",
                thrown.getMessage());
    }

    @Test
    void aTypeNeitherRegisteredNorAnnotatedIsNamedInTheError() {
        UnknownEventTypeException thrown = assertThrows(UnknownEventTypeException.class,
                () -> registry.nameOf(Unannotated.class));

        assertTrue(thrown.getMessage().startsWith("event type " + Unannotated.class.getName() + " is not registered"),
                thrown.getMessage());
    }

    @Test
    void anAnnotatedTypeIsRegisteredOnFirstUse() {
        assertEquals("billing.invoice-issued", registry.nameOf(InvoiceIssued.class));
        assertEquals(Optional.of(InvoiceIssued.class), registry.typeOf("billing.invoice-issued"));
    }

    @Test
    void aMalformedNameIsRefusedQuotingIt() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> registry.register(BadlyNamed.class));

        assertEquals("invalid event name 'has spaces': it must match " + EventTypeRegistry.NAME_PATTERN,
                thrown.getMessage());
    }
}
