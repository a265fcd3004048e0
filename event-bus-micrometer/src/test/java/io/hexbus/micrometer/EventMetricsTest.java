package io.hexbus.micrometer;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.inmemory.InMemoryEventBus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-event meters move as events flow through a real bus. */
class EventMetricsTest {

    @EventName("metrics.order-placed")
    record OrderPlaced(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    @Test
    void countsPublishesDuplicatesHandlerRunsAndFailuresPerEventAndSubscription() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.addObserver(new EventMetrics(registry));
        processor.register(OrderPlaced.class, "fine", (OrderPlaced e) -> { });
        processor.register(OrderPlaced.class, "broken", (OrderPlaced e) -> {
            throw new IllegalStateException("down");
        });
        InMemoryEventBus bus = new InMemoryEventBus(processor);
        OrderPlaced first = new OrderPlaced(EventIds.newId(), Instant.now());

        assertThrows(EventHandlingException.class, () -> bus.publish(first));
        bus.publish(first);
        assertThrows(EventHandlingException.class,
                () -> bus.publish(new OrderPlaced(EventIds.newId(), Instant.now())));
        new EventMetrics(registry).deadLettered("metrics.order-placed", List.of("broken"));

        String scrape = registry.scrape();
        for (String line : List.of(
                "hexbus_events_published_total{event=\"metrics.order-placed\"} 2.0",
                "hexbus_events_duplicates_total{event=\"metrics.order-placed\"} 1.0",
                "hexbus_events_consumed_total{event=\"metrics.order-placed\",subscription=\"fine\"} 2.0",
                "hexbus_events_failed_total{event=\"metrics.order-placed\",subscription=\"broken\"} 2.0",
                "hexbus_handler_duration_seconds_count{event=\"metrics.order-placed\",subscription=\"fine\"} 2",
                "hexbus_events_dead_lettered_total{event=\"metrics.order-placed\",subscription=\"broken\"} 1.0")) {
            assertTrue(scrape.contains(line), () -> "missing " + line + " in\n" + scrape);
        }
    }

    @Test
    void countsUnhandledEventsPerNameThroughTheProcessorsObservers() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
        processor.addObserver(new EventMetrics(registry));
        processor.addObserver(new EventMetrics(registry)); // two observers: the processor tells both

        processor.observer().unhandled("shipping.parcel-sent");

        String scrape = registry.scrape();
        String line = "hexbus_events_unhandled_total{event=\"shipping.parcel-sent\"} 2.0";
        assertTrue(scrape.contains(line), () -> "missing " + line + " in\n" + scrape);
    }
}
