package io.hexbus.micrometer;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.testing.MutableClock;
import io.hexbus.api.transport.TransportUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The queue's meters, read through a mocked {@link QueueAdmin} port. */
class QueueMetersTest {

    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final QueueStats STATS = new QueueStats("billing", 5, 1, 2, 3, 4, 6, 70, 8, 9, 10);

    private final QueueAdmin admin = mock(QueueAdmin.class);
    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void theQueueStatisticsAreGaugesAndCountersTaggedByGroup() {
        when(admin.stats()).thenReturn(STATS);
        new QueueMeters(admin, clock).bindTo(registry);

        assertEquals(5.0, gauge("hexbus.queue.waiting"));
        assertEquals(1.0, gauge("hexbus.queue.active"));
        assertEquals(2.0, gauge("hexbus.queue.reserved"));
        assertEquals(3.0, gauge("hexbus.queue.retry.scheduled"));
        assertEquals(STATS.scheduled(), gauge("hexbus.queue.scheduled"));
        assertEquals(STATS.deadLettered(), gauge("hexbus.queue.dead.lettered"));
        assertEquals(STATS.completed(), counter("hexbus.queue.completed"));
        assertEquals(STATS.failedAttempts(), counter("hexbus.queue.failed.attempts"));
        assertEquals(STATS.takeovers(), counter("hexbus.queue.takeovers"));
        assertEquals(STATS.unhandled(), counter("hexbus.queue.unhandled"));
    }

    @Test
    void theQueueIsReadAtMostOnceASecondForAllItsMeters() {
        when(admin.stats()).thenReturn(STATS, STATS,
                new QueueStats("billing", 50, 1, 2, 3, 4, 6, 70, 8, 9, 10));
        new QueueMeters(admin, clock).bindTo(registry);

        assertEquals(5.0, gauge("hexbus.queue.waiting"));
        assertEquals(1.0, gauge("hexbus.queue.active"));
        assertEquals(STATS.completed(), counter("hexbus.queue.completed"));
        verify(admin, times(2)).stats(); // the group at bind, then one read for the three meters
        verify(admin, times(1)).subscriptionStats();

        clock.advance(Duration.ofSeconds(1));
        assertEquals(50.0, gauge("hexbus.queue.waiting"));
        verify(admin, times(3)).stats();
        verify(admin, times(2)).subscriptionStats();
    }

    @Test
    void anUnreadableQueueIsNaNUntilTheNextReadWhichIsNotTriedWithinTheSecond() {
        when(admin.stats()).thenReturn(STATS).thenThrow(new TransportUnavailableException("Redis is down", null))
                .thenReturn(STATS);
        new QueueMeters(admin, clock).bindTo(registry);

        assertTrue(Double.isNaN(gauge("hexbus.queue.waiting")));
        assertTrue(Double.isNaN(counter("hexbus.queue.completed")));
        verify(admin, times(2)).stats();

        clock.advance(Duration.ofSeconds(1));
        assertEquals(5.0, gauge("hexbus.queue.waiting"));
    }

    @Test
    void aQueueUnreadableAtBindingIsTaggedWithTheConfiguredGroupWhenOneIsGivenAndFailsTheBindingOtherwise() {
        when(admin.stats()).thenThrow(new TransportUnavailableException("Redis is down", null))
                .thenThrow(new TransportUnavailableException("Redis is down", null)).thenReturn(STATS);
        SimpleMeterRegistry refused = new SimpleMeterRegistry();
        TransportUnavailableException failure = org.junit.jupiter.api.Assertions.assertThrows(
                TransportUnavailableException.class, () -> new QueueMeters(admin, clock).bindTo(refused));
        assertEquals("Redis is down", failure.getMessage());
        assertTrue(refused.getMeters().isEmpty(), "no meter added");

        new QueueMeters(admin, clock, "billing").bindTo(registry);

        assertEquals("billing", registry.get("hexbus.queue.waiting").gauge().getId().getTag("group"));
        assertEquals(5.0, gauge("hexbus.queue.waiting"), "read once the queue answers");
    }

    @Test
    void aSubscriptionReportedLaterJoinsEveryBoundRegistry() {
        when(admin.stats()).thenReturn(STATS);
        when(admin.subscriptionStats()).thenReturn(List.of(), List.of(new SubscriptionStats("mailer", 7, 2, 1, 1,
                new SubscriptionStats.Durations(WINDOW, 9, Optional.of(Duration.ofMillis(250)),
                        Optional.of(Duration.ofMillis(1500)), Optional.of(Duration.ofSeconds(2)),
                        Optional.of(Duration.ofSeconds(3))))));
        QueueMeters meters = new QueueMeters(admin, clock);
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        meters.bindTo(registry);
        meters.bindTo(other);
        gauge("hexbus.queue.waiting");
        assertNull(registry.find("hexbus.subscription.handled").functionCounter());

        clock.advance(Duration.ofSeconds(1));
        gauge("hexbus.queue.waiting");

        for (SimpleMeterRegistry bound : List.of(registry, other)) {
            assertEquals(7.0, bound.get("hexbus.subscription.handled").tag("subscription", "mailer")
                    .functionCounter().count());
            assertEquals(2.0, bound.get("hexbus.subscription.failed.attempts").tag("subscription", "mailer")
                    .functionCounter().count());
            assertEquals(1.5, bound.get("hexbus.subscription.duration").tag("subscription", "mailer")
                    .tag("quantile", "0.95").gauge().value());
        }
        verify(admin, times(2)).subscriptionStats();
    }

    @Test
    void refreshReadsTheSubscriptionsAtOnceSoTheScrapeRightAfterShowsThem() {
        when(admin.stats()).thenReturn(STATS);
        when(admin.subscriptionStats()).thenReturn(List.of(new SubscriptionStats("ledger", 3, 0, 0, 0,
                SubscriptionStats.Durations.none(WINDOW))));
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        QueueMeters meters = new QueueMeters(admin, clock);
        meters.bindTo(prometheus);

        meters.refresh();
        String scrape = prometheus.scrape();

        assertTrue(scrape.contains("hexbus_subscription_handled_total{subscription=\"ledger\"} 3.0"), scrape);
        assertTrue(scrape.contains("hexbus_subscription_duration_seconds{quantile=\"0.5\",subscription=\"ledger\"}"
                + " NaN"), scrape);
        assertTrue(scrape.contains("hexbus_queue_waiting{group=\"billing\"} 5.0"), scrape);
        verify(admin, times(1)).subscriptionStats();
    }

    @Test
    void unreadableSubscriptionsAreNaNNotAFailedRead() {
        when(admin.stats()).thenReturn(STATS);
        when(admin.subscriptionStats()).thenReturn(List.of(new SubscriptionStats("ledger", 3, 0, 0, 0,
                SubscriptionStats.Durations.none(WINDOW)))).thenThrow(new TransportUnavailableException("down", null));
        QueueMeters meters = new QueueMeters(admin, clock);
        meters.bindTo(registry);
        meters.refresh();

        meters.refresh();

        assertTrue(Double.isNaN(registry.get("hexbus.subscription.handled").functionCounter().count()));
    }

    private double gauge(String name) {
        return registry.get(name).tag("group", "billing").gauge().value();
    }

    private double counter(String name) {
        return registry.get(name).tag("group", "billing").functionCounter().count();
    }
}
