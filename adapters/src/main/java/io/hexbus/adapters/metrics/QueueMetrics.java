package io.hexbus.adapters.metrics;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.micrometer.EventMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of the queue, in a Prometheus registry: the counters of {@link QueueStats} as gauges
 * ({@code hexbus_queue_waiting}, {@code _active}, {@code _reserved}, {@code _retry_scheduled},
 * {@code _scheduled}, {@code _dead_lettered}, tagged by group) and function counters ({@code hexbus_queue_completed_total}, {@code _failed_attempts_total},
 * {@code _takeovers_total}, {@code _unhandled_total}), the per-subscription series ({@link SubscriptionMeters}:
 * {@code hexbus_subscription_*}), plus the JVM's memory, threads and CPU.
 *
 * <p>One scrape reads the statistics once (they are kept for a second) and the subscriptions' statistics once, so a
 * scrape costs two reads of the queue's store; when it cannot be read the queue's meters are NaN for that scrape.
 * Thread-safe.
 */
public final class QueueMetrics {

    private static final Logger log = LoggerFactory.getLogger(QueueMetrics.class);
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Optional<QueueAdmin> admin;
    private final Clock clock;
    private final Optional<SubscriptionMeters> subscriptions;
    private QueueStats last;
    private Instant readAt = Instant.MIN;

    /**
     * @param admin the queue's admin port, or empty on the in-memory transport (then only JVM meters)
     * @param clock when statistics were read, to keep them for a second
     */
    public QueueMetrics(Optional<QueueAdmin> admin, Clock clock) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.clock = Objects.requireNonNull(clock, "clock");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        admin.ifPresent(queue -> bindQueue(registry, queue.stats().group()));
        this.subscriptions = admin.map(queue -> new SubscriptionMeters(queue, registry));
    }

    /**
     * Counts every publish, handler run and dead letter of the transports that use a processor, per event
     * name and subscription ({@link EventMetrics}).
     *
     * @param processor the processor the transports dispatch through
     */
    public void observe(DomainEventsProcessor processor) {
        processor.addObserver(new EventMetrics(registry));
    }

    /**
     * Adds the transactional outbox's gauges: {@code hexbus_outbox_waiting} (events committed and not yet forwarded),
     * {@code hexbus_outbox_oldest_waiting_age_seconds}, {@code hexbus_outbox_dead} and
     * {@code hexbus_outbox_forwarded} (by this process's relay since it started). A scrape reads the outbox once for
     * the four; when it cannot be read, they are NaN for that scrape. Call it once.
     *
     * @param outbox reads the outbox's health; it may block on a short database read, and throw
     */
    public void observeOutbox(Supplier<OutboxHealth> outbox) {
        OutboxGauges gauges = new OutboxGauges(outbox, clock);
        gauges.bindTo(registry);
    }

    /**
     * @return every meter in the Prometheus text format
     */
    public String scrape() {
        subscriptions.ifPresent(SubscriptionMeters::refresh);
        return registry.scrape();
    }

    /**
     * @return the content type of {@link #scrape()}
     */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    private void bindQueue(MeterRegistry meters, String group) {
        gauge(meters, group, "hexbus.queue.waiting", "events published and not yet taken by a worker (the lag)",
                QueueStats::waiting);
        gauge(meters, group, "hexbus.queue.active", "events whose handler is running now", QueueStats::active);
        gauge(meters, group, "hexbus.queue.reserved", "events a worker holds with no handler running: read ahead,"
                + " awaiting acknowledgement, or held by a stopped worker until taken over", QueueStats::reserved);
        gauge(meters, group, "hexbus.queue.retry.scheduled", "events waiting for the backoff before a retry",
                QueueStats::retryScheduled);
        gauge(meters, group, "hexbus.queue.scheduled", "delayed events published for later and not yet due",
                QueueStats::scheduled);
        gauge(meters, group, "hexbus.queue.dead.lettered", "events in the dead-letter queue now",
                QueueStats::deadLettered);
        counter(meters, group, "hexbus.queue.completed", "events finished by every subscription",
                QueueStats::completed);
        counter(meters, group, "hexbus.queue.failed.attempts", "handler attempts that failed",
                QueueStats::failedAttempts);
        counter(meters, group, "hexbus.queue.takeovers", "events taken over from a worker that stopped",
                QueueStats::takeovers);
        counter(meters, group, "hexbus.queue.unhandled", "events with no subscription in this application",
                QueueStats::unhandled);
    }

    private void gauge(MeterRegistry meters, String group, String name, String description,
                       ToDoubleFunction<QueueStats> value) {
        Gauge.builder(name, this, metrics -> metrics.read(value)).description(description).tag("group", group)
                .register(meters);
    }

    private void counter(MeterRegistry meters, String group, String name, String description,
                         ToDoubleFunction<QueueStats> value) {
        FunctionCounter.builder(name, this, metrics -> metrics.read(value)).description(description)
                .tag("group", group).register(meters);
    }

    private synchronized double read(ToDoubleFunction<QueueStats> value) {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(readAt.plus(FRESH))) {
            try {
                last = admin.orElseThrow().stats();
                readAt = now;
            } catch (RuntimeException unreachable) {
                log.warn("Metrics: the queue cannot be read: {}", unreachable.getMessage());
                last = null;
                return Double.NaN;
            }
        }
        return value.applyAsDouble(last);
    }
}
