package io.hexbus.adapters.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The transactional outbox's gauges: waiting, the oldest waiting event's age in seconds, dead, forwarded. One
 * scrape reads the outbox once for the four (the reading is kept for a second); when it cannot be read, they are
 * NaN for that scrape. Thread-safe.
 */
final class OutboxGauges {

    private static final Logger log = LoggerFactory.getLogger(OutboxGauges.class);
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final Supplier<OutboxHealth> outbox;
    private final Clock clock;
    private OutboxHealth last;
    private Instant readAt = Instant.MIN;

    OutboxGauges(Supplier<OutboxHealth> outbox, Clock clock) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    void bindTo(MeterRegistry registry) {
        gauge(registry, "hexbus.outbox.waiting", null, "events committed in the outbox and not yet forwarded"
                + " to the transport", OutboxHealth::waiting);
        gauge(registry, "hexbus.outbox.oldest.waiting.age", "seconds", "how long the oldest event waiting in the"
                + " outbox has waited", health -> health.oldestWaitingAge().toMillis() / 1000.0);
        gauge(registry, "hexbus.outbox.dead", null, "events the outbox can never forward, kept for someone to deal"
                + " with", OutboxHealth::dead);
        gauge(registry, "hexbus.outbox.forwarded", null, "events this process's outbox relay forwarded since it"
                + " started", OutboxHealth::forwarded);
    }

    private void gauge(MeterRegistry registry, String name, String unit, String description,
                       ToDoubleFunction<OutboxHealth> value) {
        // A strong reference: nothing else holds these gauges, and Micrometer's default weak one let the collector
        // take them, after which every scrape read NaN.
        Gauge.builder(name, this, gauges -> gauges.read(value)).description(description).baseUnit(unit)
                .strongReference(true).register(registry);
    }

    private synchronized double read(ToDoubleFunction<OutboxHealth> value) {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(readAt.plus(FRESH))) {
            try {
                last = outbox.get();
                readAt = now;
            } catch (RuntimeException unreadable) {
                log.warn("Metrics: the outbox cannot be read: {}", unreadable.getMessage());
                last = null;
                return Double.NaN;
            }
        }
        return value.applyAsDouble(last);
    }
}
