package io.hexbus.api.event;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    @EventName(value = "shop.order-placed", version = 3)
    record OrderPlacedV3(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    @EventName(value = "shop.order-zero", version = 0)
    record VersionZero(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    private static final EventUpcaster IDENTITY = payload -> payload;

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

    // --- versions ---

    @Test
    void theAnnotationGivesTheVersion() {
        registry.register(OrderPlacedV3.class);

        assertEquals(3, registry.versionOf(OrderPlacedV3.class));
        assertEquals(OptionalInt.of(3), registry.versionOf("shop.order-placed"));
    }

    @Test
    void aTypeWithoutAVersionIsAtVersionOne() {
        registry.register(InvoiceIssued.class).register("billing.unannotated", Unannotated.class);

        assertEquals(1, registry.versionOf(InvoiceIssued.class));
        assertEquals(OptionalInt.of(1), registry.versionOf("billing.unannotated"));
    }

    @Test
    void anExplicitVersionIsKept() {
        registry.register("billing.unannotated", 2, Unannotated.class);

        assertEquals(2, registry.versionOf(Unannotated.class));
        assertEquals(OptionalInt.of(2), registry.versionOf("billing.unannotated"));
    }

    @Test
    void anUnknownNameHasNoVersion() {
        registry.register(OrderPlacedV3.class);

        assertEquals(OptionalInt.empty(), registry.versionOf("shop.order-cancelled"));
    }

    @Test
    void theVersionOfAnAnnotatedTypeIsReadOnFirstUse() {
        assertEquals(3, registry.versionOf(OrderPlacedV3.class));
        assertEquals(Optional.of(OrderPlacedV3.class), registry.typeOf("shop.order-placed"));
    }

    @Test
    void theSamePairAtTheSameVersionIsANoOpAndAtAnotherIsRefused() {
        registry.register(OrderPlacedV3.class).register("shop.order-placed", OrderPlacedV3.class)
                .register("shop.order-placed", 3, OrderPlacedV3.class);

        DuplicateEventTypeException thrown = assertThrows(DuplicateEventTypeException.class,
                () -> registry.register("shop.order-placed", 4, OrderPlacedV3.class));

        assertEquals("event 'shop.order-placed' is already registered at version 3, cannot register it at version 4"
                + " too", thrown.getMessage());
        assertEquals(3, registry.versionOf(OrderPlacedV3.class));
    }

    @Test
    void aVersionBelowOneIsRefused() {
        for (int version : new int[] {0, -1, Integer.MIN_VALUE}) {
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> registry.register("billing.unannotated", version, Unannotated.class));

            assertEquals("version of event 'billing.unannotated' must be at least 1, got " + version,
                    thrown.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> registry.register(VersionZero.class));
        assertEquals(Set.of(), registry.names());
    }

    // --- upcasters ---

    @Test
    void anUpcasterIsFoundByNameAndSourceVersion() {
        EventUpcaster fromOne = payload -> Map.of("step", 1);
        EventUpcaster fromTwo = payload -> Map.of("step", 2);
        registry.upcaster("shop.order-placed", 1, fromOne).upcaster("shop.order-placed", 2, fromTwo);

        assertSame(fromOne, registry.upcasterFrom("shop.order-placed", 1).orElseThrow());
        assertSame(fromTwo, registry.upcasterFrom("shop.order-placed", 2).orElseThrow());
    }

    @Test
    void thereIsNoUpcasterWhereNoneWasRegistered() {
        registry.upcaster("shop.order-placed", 1, IDENTITY);

        assertEquals(Optional.empty(), registry.upcasterFrom("shop.order-placed", 2));
        assertEquals(Optional.empty(), registry.upcasterFrom("shop.order-cancelled", 1));
    }

    @Test
    void aSecondUpcasterFromOneVersionIsRefused() {
        registry.upcaster("shop.order-placed", 1, IDENTITY);

        DuplicateEventTypeException thrown = assertThrows(DuplicateEventTypeException.class,
                () -> registry.upcaster("shop.order-placed", 1, payload -> payload));

        assertEquals("an upcaster from version 1 of 'shop.order-placed' is already registered", thrown.getMessage());
        assertSame(IDENTITY, registry.upcasterFrom("shop.order-placed", 1).orElseThrow());
    }

    @Test
    void anUpcasterFromAVersionBelowOneIsRefused() {
        for (int version : new int[] {0, -1}) {
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> registry.upcaster("shop.order-placed", version, IDENTITY));

            assertEquals("an upcaster of 'shop.order-placed' reads a version of at least 1, got " + version,
                    thrown.getMessage());
            assertEquals(Optional.empty(), registry.upcasterFrom("shop.order-placed", version));
        }
    }
}
