package io.hexbus.api.handling;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainEventsProcessorTest {

    @EventName("shop.order-placed")
    record OrderPlaced(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    @EventName("shop.order-shipped")
    record OrderShipped(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    static final class SendConfirmation implements EventHandler<OrderPlaced> {
        final List<OrderPlaced> received = new ArrayList<>();

        @Override
        public void handle(OrderPlaced event) {
            received.add(event);
        }
    }

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());

    @Test
    void listsTheSubscriptionsOfANameInRegistrationOrder() {
        processor.register(OrderPlaced.class, "b-second", event -> { });
        processor.register(OrderPlaced.class, "a-first", event -> { });
        processor.register(OrderShipped.class, "elsewhere", event -> { });

        assertEquals(List.of("b-second", "a-first"), processor.subscriptionsFor("shop.order-placed").stream()
                .map(Subscription::name).toList());
        assertEquals(Set.of("shop.order-placed", "shop.order-shipped"), processor.subscribedEventNames());
        assertEquals(List.of(), processor.subscriptionsFor("shop.nobody-cares"));
    }

    @Test
    void aHandlerWithoutANameIsNamedAfterItsClass() {
        SendConfirmation handler = new SendConfirmation();

        Registration registration = processor.register(OrderPlaced.class, handler);

        assertEquals(SendConfirmation.class.getName(), registration.subscription().name());
    }

    @Test
    void aLambdaWithoutANameIsRefusedWithHowToFixIt() {
        EventHandler<OrderPlaced> lambda = event -> { };

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> processor.register(OrderPlaced.class, lambda));

        assertTrue(thrown.getMessage().contains("lambdas, anonymous and local classes have no stable name; pass a"
                + " subscription name"), thrown.getMessage());
    }

    @Test
    void anAnonymousHandlerWithoutANameIsRefused() {
        EventHandler<OrderPlaced> anonymous = new EventHandler<>() {
            @Override
            public void handle(OrderPlaced event) {
            }
        };

        assertThrows(IllegalArgumentException.class, () -> processor.register(OrderPlaced.class, anonymous));
    }

    @Test
    void aSecondRegistrationUnderOneNameIsRefusedEvenForAnotherEvent() {
        processor.register(OrderPlaced.class, "notify", event -> { });

        DuplicateSubscriptionException thrown = assertThrows(DuplicateSubscriptionException.class,
                () -> processor.register(OrderShipped.class, "notify", event -> { }));

        assertEquals("subscription name 'notify' is already registered (on event 'shop.order-placed'); each"
                + " subscription needs its own name", thrown.getMessage());
        assertEquals(1, processor.subscriptionsFor("shop.order-placed").size());
        assertEquals(List.of(), processor.subscriptionsFor("shop.order-shipped"));
    }

    @Test
    void removingFreesTheNameAndStopsRouting() {
        Registration registration = processor.register(OrderPlaced.class, "notify", event -> { });

        assertTrue(registration.remove());
        assertFalse(registration.remove());

        assertEquals(List.of(), processor.subscriptionsFor("shop.order-placed"));
        assertEquals(Optional.empty(), processor.subscription("notify"));
        processor.register(OrderPlaced.class, "notify", event -> { });
        assertTrue(processor.subscription("notify").isPresent());
    }

    @Test
    void aSubscriptionKeepsItsOptions() {
        SubscriptionOptions options = SubscriptionOptions.DEFAULT.withTimeout(Duration.ofSeconds(5))
                .withRetryPolicy(RetryPolicy.NONE);

        processor.register(OrderPlaced.class, "fast", event -> { }, options);

        assertEquals(options, processor.subscription("fast").orElseThrow().options());
    }

    @Test
    void aTypedSubscriptionRefusesAnEventOfAnotherTypeAsNonRetryable() throws Exception {
        SendConfirmation handler = new SendConfirmation();
        Subscription subscription = processor.register(OrderPlaced.class, "typed", handler).subscription();
        OrderPlaced placed = new OrderPlaced(UUID.randomUUID(), Instant.now());

        subscription.handle(placed);
        NonRetryableException thrown = assertThrows(NonRetryableException.class,
                () -> subscription.handle(new OrderShipped(UUID.randomUUID(), Instant.now())));

        assertEquals(List.of(placed), handler.received);
        assertTrue(thrown.getMessage().startsWith("subscription 'typed' handles " + OrderPlaced.class.getName()),
                thrown.getMessage());
    }

    @Test
    void aNameSubscriptionReceivesWhateverTypeTheNameMapsTo() throws Exception {
        List<DomainEvent> received = new ArrayList<>();
        Subscription subscription = processor.register("shop.order-placed", "untyped", received::add).subscription();
        OrderPlaced placed = new OrderPlaced(UUID.randomUUID(), Instant.now());

        subscription.handle(placed);

        assertEquals(List.of(placed), received);
        assertEquals(Optional.empty(), subscription.eventType());
    }

    @Test
    void aBlankSubscriptionNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> processor.register(OrderPlaced.class, " ", event -> { }));
    }
}
