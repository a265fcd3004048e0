package io.hexbus.micrometer;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.SubscriptionStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The per-subscription series of {@link QueueAdmin#subscriptionStats()}: {@code hexbus_subscription_handled_total},
 * {@code _failed_attempts_total}, {@code _retries_scheduled_total}, {@code _dead_lettered_total} (tag
 * {@code subscription}) and {@code hexbus_subscription_duration_seconds{subscription,quantile}} for 0.5, 0.95 and
 * 0.99 over the recent window (NaN when no run is in it).
 *
 * <p>Subscriptions appear as workers report them, so a subscription's meters are added, on every registry bound, by
 * the first read that sees it; each read covers all of them. When a read fails, every series is NaN until the next
 * one. Thread-safe.
 */
final class SubscriptionMeters {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionMeters.class);
    private static final Map<String, Function<SubscriptionStats.Durations, Optional<Duration>>> QUANTILES = Map.of(
            "0.5", SubscriptionStats.Durations::p50,
            "0.95", SubscriptionStats.Durations::p95,
            "0.99", SubscriptionStats.Durations::p99);

    private final QueueAdmin admin;
    private final Clock clock;
    private final Duration fresh;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Set<String> registered = new HashSet<>();
    // The last read, by subscription; emptied when a read fails so that the series say NaN.
    private final Map<String, SubscriptionStats> latest = new ConcurrentHashMap<>();
    private Instant readAt = Instant.MIN;

    SubscriptionMeters(QueueAdmin admin, Clock clock, Duration fresh) {
        this.admin = admin;
        this.clock = clock;
        this.fresh = fresh;
    }

    /** Adds the meters of the subscriptions seen so far to a registry, and those seen later. */
    synchronized void bindTo(MeterRegistry registry) {
        registries.add(registry);
        registered.forEach(subscription -> bind(registry, subscription));
    }

    /** Reads the statistics unless the last read is younger than the freshness interval. */
    synchronized void refreshIfStale() {
        if (!clock.instant().isBefore(readAt.plus(fresh))) {
            refresh();
        }
    }

    /** Reads the statistics once and adds the meters of subscriptions not seen before. */
    synchronized void refresh() {
        readAt = clock.instant();
        try {
            Map<String, SubscriptionStats> read = new ConcurrentHashMap<>();
            admin.subscriptionStats().forEach(stats -> read.put(stats.subscription(), stats));
            latest.keySet().retainAll(read.keySet());
            latest.putAll(read);
        } catch (RuntimeException unreadable) {
            log.warn("Metrics: the subscriptions' statistics cannot be read: {}", unreadable.getMessage());
            latest.clear();
            return;
        }
        for (String subscription : latest.keySet()) {
            if (registered.add(subscription)) {
                registries.forEach(registry -> bind(registry, subscription));
            }
        }
    }

    private void bind(MeterRegistry registry, String subscription) {
        counter(registry, subscription, "hexbus.subscription.handled", "handler runs that succeeded",
                SubscriptionStats::handled);
        counter(registry, subscription, "hexbus.subscription.failed.attempts", "handler runs that failed",
                SubscriptionStats::failedAttempts);
        counter(registry, subscription, "hexbus.subscription.retries.scheduled",
                "failed runs followed by a scheduled retry", SubscriptionStats::retriesScheduled);
        counter(registry, subscription, "hexbus.subscription.dead.lettered", "events this subscription gave up on",
                SubscriptionStats::deadLettered);
        QUANTILES.forEach((quantile, percentile) -> Gauge.builder("hexbus.subscription.duration", this,
                        meters -> meters.value(subscription, stats -> percentile.apply(stats.window())
                                .map(duration -> duration.toNanos() / 1e9).orElse(Double.NaN)))
                .description("handler duration percentile over the recent window, successes and failures alike")
                .baseUnit("seconds").tag("subscription", subscription).tag("quantile", quantile)
                .strongReference(true).register(registry));
    }

    private void counter(MeterRegistry registry, String subscription, String name, String description,
                         ToDoubleFunction<SubscriptionStats> value) {
        FunctionCounter.builder(name, this, meters -> meters.value(subscription, value)).description(description)
                .tag("subscription", subscription).register(registry);
    }

    private double value(String subscription, ToDoubleFunction<SubscriptionStats> value) {
        refreshIfStale();
        SubscriptionStats stats = latest.get(subscription);
        return stats == null ? Double.NaN : value.applyAsDouble(stats);
    }
}
