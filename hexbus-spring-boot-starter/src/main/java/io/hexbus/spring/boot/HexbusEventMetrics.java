package io.hexbus.spring.boot;

import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The bus's meters on Boot's registry, under the names the Guice app's {@code /metrics} has, fed by the transports
 * through the processor's {@link DeliveryObserver}: {@code hexbus.events.published} and
 * {@code hexbus.events.duplicates} (tag {@code event}), {@code hexbus.events.consumed}, {@code hexbus.events.failed}
 * and the timer {@code hexbus.handler.duration} (tags {@code event}, {@code subscription}),
 * {@code hexbus.events.dead.lettered} (tags {@code event}, {@code subscription}) and {@code hexbus.events.unhandled}
 * (tag {@code event}). Boot binds it to each registry it configures. Thread-safe.
 */
public final class HexbusEventMetrics implements MeterBinder {

    private final DomainEventsProcessor processor;

    /**
     * @param processor the processor whose transports report to the meters
     */
    public HexbusEventMetrics(DomainEventsProcessor processor) {
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    /**
     * Adds an observer that records into the registry; from then on every publish and handler run is counted.
     *
     * @param registry the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        processor.addObserver(new Observer(registry));
    }

    private record Observer(MeterRegistry registry) implements DeliveryObserver {

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
}
