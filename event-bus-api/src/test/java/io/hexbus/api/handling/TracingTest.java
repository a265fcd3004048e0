package io.hexbus.api.handling;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracing hook: installed once on the processor, wrapping each handler run, seen by transports built before. */
class TracingTest {

    @EventName("tests.order-placed")
    record OrderPlaced(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final OrderPlaced event = new OrderPlaced(UUID.randomUUID(), Instant.now());

    @Test
    void theProcessorsTracingForwardsToTheOneInstalledLater() {
        Tracing held = processor.tracing(); // as a transport built at start holds it
        assertEquals(Optional.empty(), held.publishing("tests.order-placed", event));

        processor.useTracing(new Tracing() {
            @Override
            public Optional<TraceContext> publishing(String eventName, DomainEvent published) {
                return Optional.of(new TraceContext(TRACEPARENT, null));
            }
        });

        assertEquals(Optional.of(new TraceContext(TRACEPARENT, null)), held.publishing("tests.order-placed", event));
    }

    @Test
    void whileRepublishingACarriedContextStandsForTheInstalledTracingsAnswer() {
        TraceContext asked = new TraceContext(TRACEPARENT, null);
        TraceContext first = new TraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        OrderPlaced other = new OrderPlaced(UUID.randomUUID(), Instant.now());
        processor.useTracing(new Tracing() {
            @Override
            public Optional<TraceContext> publishing(String eventName, DomainEvent published) {
                return Optional.of(asked);
            }
        });
        Tracing held = processor.tracing();

        List<Optional<TraceContext>> during = processor.republishing(Map.of(event.eventId(), first), () -> List.of(
                held.publishing("tests.order-placed", event), held.publishing("tests.order-placed", other)));

        assertEquals(List.of(Optional.of(first), Optional.of(asked)), during, "an event not listed is asked for");
        assertEquals(Optional.of(asked), held.publishing("tests.order-placed", event), "only while it runs");
    }

    @Test
    void untilATracingIsInstalledTheProcessorsTracingIsInactiveAndThenTheHeldOneIsActive() {
        Tracing held = processor.tracing();
        assertFalse(Tracing.NONE.isActive());
        assertFalse(held.isActive(), "nothing installed: a transport need not ask it per event");

        processor.useTracing(new Tracing() { });

        assertTrue(held.isActive(), "a transport built before the install sees it");
        assertSame(held, processor.tracing());
    }

    @Test
    void withoutAnInstalledTracingARepublishedEventStillKeepsItsCarriedContext() {
        TraceContext first = new TraceContext(TRACEPARENT, null);
        Tracing held = processor.tracing();

        List<Object> during = processor.republishing(Map.of(event.eventId(), first),
                () -> List.of(held.isActive(), held.publishing("tests.order-placed", event)));

        assertEquals(List.of(true, Optional.of(first)), during);
        assertFalse(held.isActive(), "only while it runs");
        assertEquals(Optional.empty(), held.publishing("tests.order-placed", event));
    }

    @Test
    void republishingCallsNestAndEachRestoresWhatItReplaced() {
        TraceContext outer = new TraceContext(TRACEPARENT, null);
        TraceContext inner = new TraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        Tracing held = processor.tracing();

        List<Optional<TraceContext>> seen = processor.republishing(Map.of(event.eventId(), outer), () -> {
            Optional<TraceContext> nested = processor.republishing(Map.of(event.eventId(), inner),
                    () -> held.publishing("tests.order-placed", event));
            return List.of(nested, held.publishing("tests.order-placed", event));
        });

        assertEquals(List.of(Optional.of(inner), Optional.of(outer)), seen);
        assertFalse(held.isActive());
    }

    @Test
    void aSecondTracingIsRefused() {
        processor.useTracing(new Tracing() { });

        assertThrows(IllegalStateException.class, () -> processor.useTracing(new Tracing() { }));
    }

    @Test
    void aHandlerRunIsWrappedWithItsAttemptAndTraceContextAndItsFailurePassesThrough() {
        List<String> seen = new ArrayList<>();
        processor.useTracing(new Tracing() {
            @Override
            public void handle(HandlerRun run, HandlerInvocation invocation) throws Exception {
                seen.add("before " + run.subscription().name() + " attempt " + run.attempt() + " "
                        + run.trace().map(TraceContext::traceparent).orElse("-"));
                invocation.proceed();
                seen.add("after");
            }
        });
        Subscription subscription = processor.register(OrderPlaced.class, "orders.failing", e -> {
            seen.add("handler");
            throw new IllegalStateException("down");
        }).subscription();

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> subscription.handle(event, 2, new TraceContext(TRACEPARENT, "k=v")));

        assertEquals("down", thrown.getMessage());
        assertEquals(List.of("before orders.failing attempt 2 " + TRACEPARENT, "handler"), seen);
    }

    @Test
    void withoutTracingTheHandlerRunsBareAndAnAttemptBelowOneIsRefused() throws Exception {
        List<OrderPlaced> handled = new ArrayList<>();
        Subscription subscription = processor.register(OrderPlaced.class, "orders.recording", handled::add)
                .subscription();

        subscription.handle(event, 1, null);

        assertEquals(List.of(event), handled);
        assertThrows(IllegalArgumentException.class, () -> subscription.handle(event, 0, null));
    }

    @Test
    void aTraceContextIsPrintableAsciiWithinItsLimits() {
        assertTrue(TraceContext.isValid(TRACEPARENT, null));
        assertFalse(TraceContext.isValid(null, null));
        assertFalse(TraceContext.isValid(" ", null));
        assertFalse(TraceContext.isValid(TRACEPARENT, "é=1"));
        assertFalse(TraceContext.isValid("0".repeat(TraceContext.MAX_TRACEPARENT_LENGTH + 1), null));
        assertFalse(TraceContext.isValid(TRACEPARENT, "k".repeat(TraceContext.MAX_TRACESTATE_LENGTH + 1)));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new TraceContext(TRACEPARENT, "line\nbreak"));
        assertTrue(refused.getMessage().contains("tracestate"), refused.getMessage());
    }
}
