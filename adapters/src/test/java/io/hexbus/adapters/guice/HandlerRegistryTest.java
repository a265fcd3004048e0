package io.hexbus.adapters.guice;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.DuplicateSubscriptionException;
import io.hexbus.api.handling.Registration;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.handling.SubscriptionOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandlerRegistryTest {

    @EventName("test.order-placed")
    record OrderPlaced(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    private static final RetryPolicy FAST = RetryPolicy.exponential(1, Duration.ofMillis(10));

    private final EventTypeRegistry eventTypes = new EventTypeRegistry();
    private final DomainEventsProcessor processor = new DomainEventsProcessor(eventTypes);
    private final List<String> handled = new ArrayList<>();

    private HandlerRegistrar registrar(String... subscriptions) {
        return target -> {
            List<Registration> made = new ArrayList<>();
            for (String name : subscriptions) {
                made.add(target.register(OrderPlaced.class, name, event -> handled.add(name)));
            }
            return made;
        };
    }

    private HandlerRegistry registry(SubscriptionSettings settings, HandlerRegistrar... registrars) {
        return new HandlerRegistry(new LinkedHashSet<>(List.of(registrars)), processor, settings);
    }

    private void publish() throws Exception {
        OrderPlaced event = new OrderPlaced(EventIds.newId(), Instant.now());
        for (Subscription subscription : processor.subscriptionsFor("test.order-placed")) {
            subscription.handle(event);
        }
    }

    @Test
    void registersEverySubscriptionOfEveryRegistrarInOrderAndTheyRun() throws Exception {
        List<Registration> made = registry(SubscriptionSettings.DEFAULT, registrar("billing.a", "billing.b"),
                registrar("mail.c")).registerAll();

        assertEquals(List.of("billing.a", "billing.b", "mail.c"),
                made.stream().map(registration -> registration.subscription().name()).toList());
        assertEquals("test.order-placed", eventTypes.nameOf(OrderPlaced.class));
        publish();
        assertEquals(List.of("billing.a", "billing.b", "mail.c"), handled);
    }

    @Test
    void aDisabledSubscriptionIsNotRegisteredSoItNeverRuns() throws Exception {
        registry(SubscriptionSettings.DEFAULT.withDisabled(Set.of("billing.b")), registrar("billing.a", "billing.b"))
                .registerAll();

        assertTrue(processor.subscription("billing.b").isEmpty());
        publish();
        assertEquals(List.of("billing.a"), handled);
    }

    @Test
    void disablingASubscriptionNoModuleOffersIsRefusedSoATypoCannotLeaveOneOn() {
        HandlerRegistry registry = registry(SubscriptionSettings.DEFAULT.withDisabled(Set.of("billing.bb")),
                registrar("billing.a", "billing.b"));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, registry::registerAll);

        assertEquals("cannot disable [billing.bb]: no module offers such a subscription; the subscriptions are"
                + " [billing.a, billing.b]", refused.getMessage());
        assertTrue(processor.subscriptionsFor("test.order-placed").isEmpty(), "nothing registered");
    }

    @Test
    void twoRegistrarsOfferingOneSubscriptionNameFailAtStart() {
        HandlerRegistry registry = registry(SubscriptionSettings.DEFAULT, registrar("billing.a"),
                registrar("billing.a"));

        assertThrows(DuplicateSubscriptionException.class, registry::registerAll);
    }

    @Test
    void theConfiguredRetryPolicyReplacesTheDefaultButNotARegistrarsOwnChoice() {
        RetryPolicy own = RetryPolicy.exponential(7, Duration.ofSeconds(1));
        HandlerRegistrar choosy = target -> List.of(target.register(OrderPlaced.class, "mail.own",
                event -> handled.add("own"), SubscriptionOptions.DEFAULT.withRetryPolicy(own)));

        registry(new SubscriptionSettings(Set.of(), FAST), registrar("billing.a"), choosy).registerAll();

        assertEquals(FAST, processor.subscription("billing.a").orElseThrow().options().retryPolicy());
        assertEquals(own, processor.subscription("mail.own").orElseThrow().options().retryPolicy());
    }

    @Test
    void registeringTwiceReturnsTheFirstRegistrations() {
        HandlerRegistry registry = registry(SubscriptionSettings.DEFAULT, registrar("billing.a"));

        List<Registration> first = registry.registerAll();

        assertSame(first, registry.registerAll());
        assertEquals(1, processor.subscriptionsFor("test.order-placed").size());
    }
}
