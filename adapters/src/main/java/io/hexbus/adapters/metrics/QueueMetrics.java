package io.hexbus.adapters.metrics;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.micrometer.EventMetrics;
import io.hexbus.micrometer.QueueMeters;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Micrometer meters of the queue, in a Prometheus registry: the queue's meters of {@link QueueMeters} (its
 * statistics as {@code hexbus_queue_*} gauges and counters, tagged by group, and the per-subscription
 * {@code hexbus_subscription_*} series), plus the JVM's memory, threads and CPU.
 *
 * <p>One scrape reads the statistics once (they are kept for a second) and the subscriptions' statistics once, so a
 * scrape costs two reads of the queue's store; when it cannot be read the queue's meters are NaN until it can (it is
 * tried again a second later at the earliest). Thread-safe.
 */
public final class QueueMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private final Optional<QueueMeters> queue;

    /**
     * @param admin the queue's admin port, or empty on the in-memory transport (then only JVM meters); read once
     *              here to learn the consumer group
     * @param clock when statistics were read, to keep them for a second
     */
    public QueueMetrics(Optional<QueueAdmin> admin, Clock clock) {
        Objects.requireNonNull(admin, "admin");
        this.clock = Objects.requireNonNull(clock, "clock");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        this.queue = admin.map(port -> new QueueMeters(port, clock));
        queue.ifPresent(meters -> meters.bindTo(registry));
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
        // The subscriptions now, so that one first reported since the last scrape shows in this one.
        queue.ifPresent(QueueMeters::refresh);
        return registry.scrape();
    }

    /**
     * @return the content type of {@link #scrape()}
     */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }
}
