package io.hexbus.micrometer;

import io.hexbus.api.handling.DeliveryObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Per event name and subscription meters, fed by the transports through {@link DeliveryObserver}:
 * {@code hexbus_events_published_total}, {@code hexbus_events_duplicates_total} (tag {@code event}),
 * {@code hexbus_events_consumed_total}, {@code hexbus_events_failed_total} and the histogram
 * {@code hexbus_handler_duration_seconds} (tags {@code event}, {@code subscription}), and
 * {@code hexbus_events_dead_lettered_total} (tags {@code event}, {@code subscription}), and
 * {@code hexbus_events_unhandled_total} (tag {@code event}: events acknowledged because no subscription here
 * handles their name). Thread-safe; Micrometer
 * caches the meters, so a call is a lookup and an increment.
 */
public final class EventMetrics implements DeliveryObserver {

    private final MeterRegistry registry;

    /**
     * @param registry where the meters go
     */
    public EventMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void published(String eventName, UUID eventId, boolean duplicate) {
        Counter.builder(duplicate ? "hexbus.events.duplicates" : "hexbus.events.published")
                .description(duplicate ? "events offered again under an id already published"
                        : "events accepted for delivery")
                .tag("event", eventName).register(registry).increment();
    }

    @Override
    public void handled(String subscription, String eventName, long nanos, Throwable failure) {
        Timer.builder("hexbus.handler.duration").description("how long one handler run took")
                .tag("event", eventName).tag("subscription", subscription).publishPercentileHistogram()
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        Counter.builder(failure == null ? "hexbus.events.consumed" : "hexbus.events.failed")
                .description(failure == null ? "handler runs that succeeded" : "handler runs that failed")
                .tag("event", eventName).tag("subscription", subscription).register(registry).increment();
    }

    @Override
    public void deadLettered(String eventName, List<String> subscriptions) {
        for (String subscription : subscriptions.isEmpty() ? List.of("?") : subscriptions) {
            Counter.builder("hexbus.events.dead.lettered").description("events moved to a dead-letter queue")
                    .tag("event", eventName).tag("subscription", subscription).register(registry).increment();
        }
    }

    @Override
    public void unhandled(String eventName) {
        Counter.builder("hexbus.events.unhandled")
                .description("events acknowledged without a handler: no subscription here handles their name")
                .tag("event", eventName).register(registry).increment();
    }
}
