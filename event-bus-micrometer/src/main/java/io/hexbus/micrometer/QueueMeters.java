package io.hexbus.micrometer;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The queue's meters, read through {@link QueueAdmin}: the counters of {@link QueueStats} as gauges
 * ({@code hexbus_queue_waiting}, {@code _active}, {@code _reserved}, {@code _retry_scheduled}, {@code _scheduled},
 * {@code _dead_lettered}, tag {@code group}) and function counters ({@code hexbus_queue_completed_total},
 * {@code _failed_attempts_total}, {@code _takeovers_total}, {@code _unhandled_total}), and the per-subscription series
 * of {@link QueueAdmin#subscriptionStats()} ({@code hexbus_subscription_*}, tag {@code subscription}). The same
 * meters on every transport, in the Guice app's {@code /metrics} and on a Spring Boot registry.
 *
 * <p>The queue is read at most once a second: the statistics and the subscriptions' statistics are each read once
 * and kept for the meters read in the following second, so a scrape costs two reads of the queue's store. When a read
 * fails, the meters it feeds are NaN until the next read (a warning is logged). A subscription's meters are added by
 * the first read that sees it: on a registry scraped as it is, a subscription first seen during a scrape shows from
 * the next one; calling {@link #refresh()} just before a scrape shows it at once. The meters hold this binder.
 * Thread-safe.
 */
public final class QueueMeters implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(QueueMeters.class);
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final QueueAdmin admin;
    private final Clock clock;
    private final SubscriptionMeters subscriptions;
    private final String configuredGroup; // null: the binding fails while the queue cannot be read
    private String group;
    private QueueStats last;
    private Instant readAt = Instant.MIN;

    /**
     * @param admin the queue's admin port
     * @param clock when the queue was read, to keep a read for a second
     */
    public QueueMeters(QueueAdmin admin, Clock clock) {
        this(admin, clock, null);
    }

    /**
     * For an application that must start while its queue cannot be reached (its health says so): the binding then
     * tags the meters with the configured group instead of failing, and they read NaN until the queue answers.
     *
     * @param admin           the queue's admin port
     * @param clock           when the queue was read, to keep a read for a second
     * @param configuredGroup the group the transport was configured with, the tag while the queue cannot be read
     */
    public QueueMeters(QueueAdmin admin, Clock clock, String configuredGroup) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.configuredGroup = configuredGroup;
        this.subscriptions = new SubscriptionMeters(admin, clock, FRESH);
    }

    /**
     * Adds the queue's meters, and those of every subscription seen so far, to a registry; later subscriptions join
     * every registry bound. The first call reads the statistics once to learn the consumer group (the {@code group}
     * tag), blocking as {@link QueueAdmin#stats()} does.
     *
     * @param registry where the meters go
     * @throws RuntimeException the port's exception when the first call cannot read the queue (no meter is added)
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        String tag = group();
        gauge(registry, tag, "hexbus.queue.waiting", "events published and not yet taken by a worker (the lag)",
                QueueStats::waiting);
        gauge(registry, tag, "hexbus.queue.active", "events whose handler is running now", QueueStats::active);
        gauge(registry, tag, "hexbus.queue.reserved", "events a worker holds with no handler running: read ahead,"
                + " awaiting acknowledgement, or held by a stopped worker until taken over", QueueStats::reserved);
        gauge(registry, tag, "hexbus.queue.retry.scheduled", "events waiting for the backoff before a retry",
                QueueStats::retryScheduled);
        gauge(registry, tag, "hexbus.queue.scheduled", "delayed events published for later and not yet due",
                QueueStats::scheduled);
        gauge(registry, tag, "hexbus.queue.dead.lettered", "events in the dead-letter queue now",
                QueueStats::deadLettered);
        counter(registry, tag, "hexbus.queue.completed", "events finished by every subscription",
                QueueStats::completed);
        counter(registry, tag, "hexbus.queue.failed.attempts", "handler attempts that failed",
                QueueStats::failedAttempts);
        counter(registry, tag, "hexbus.queue.takeovers", "events taken over from a worker that stopped",
                QueueStats::takeovers);
        counter(registry, tag, "hexbus.queue.unhandled", "events with no subscription in this application",
                QueueStats::unhandled);
        subscriptions.bindTo(registry);
    }

    /**
     * Reads the subscriptions' statistics now, whatever the last read's age, and adds the meters of subscriptions not
     * seen before; for a caller that scrapes its own registry, so that a scrape right after shows them. Blocks on one
     * read of the queue; a failure is logged and makes the subscriptions' series NaN, never thrown.
     */
    public void refresh() {
        subscriptions.refresh();
    }

    private synchronized String group() {
        if (group == null) {
            try {
                group = admin.stats().group();
            } catch (RuntimeException e) {
                if (configuredGroup == null) {
                    throw e;
                }
                log.warn("The queue's statistics cannot be read ({}); its meters are tagged with the configured group"
                        + " '{}' and read NaN until it answers", e.getMessage(), configuredGroup);
                group = configuredGroup;
            }
        }
        return group;
    }

    // Strong references: nothing but the meters may hold this binder, and Micrometer's default weak one would let
    // the collector take it, after which every read is NaN.
    private void gauge(MeterRegistry registry, String tag, String name, String description,
                       ToDoubleFunction<QueueStats> value) {
        Gauge.builder(name, this, meters -> meters.read(value)).description(description).tag("group", tag)
                .strongReference(true).register(registry);
    }

    private void counter(MeterRegistry registry, String tag, String name, String description,
                         ToDoubleFunction<QueueStats> value) {
        FunctionCounter.builder(name, this, meters -> meters.read(value)).description(description)
                .tag("group", tag).register(registry);
    }

    private double read(ToDoubleFunction<QueueStats> value) {
        subscriptions.refreshIfStale();
        QueueStats stats = stats();
        return stats == null ? Double.NaN : value.applyAsDouble(stats);
    }

    private synchronized QueueStats stats() {
        Instant now = clock.instant();
        if (!now.isBefore(readAt.plus(FRESH))) {
            readAt = now;
            try {
                last = admin.stats();
            } catch (RuntimeException unreadable) {
                log.warn("Metrics: the queue cannot be read: {}", unreadable.getMessage());
                last = null;
            }
        }
        return last;
    }
}
