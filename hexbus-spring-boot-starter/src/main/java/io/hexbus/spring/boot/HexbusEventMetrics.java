package io.hexbus.spring.boot;

import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.micrometer.EventMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;

/**
 * The bus's meters on Boot's registry ({@link EventMetrics}, the same as the Guice app's {@code /metrics}), fed by
 * the transports through the processor's {@link DeliveryObserver}: {@code hexbus.events.published} and
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
        processor.addObserver(new EventMetrics(registry));
    }
}
