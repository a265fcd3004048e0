package io.hexbus.adapters.metrics;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.admin.SubscriptionStats;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-subscription series on {@code /metrics}, read from {@link QueueAdmin#subscriptionStats()}. */
class SubscriptionMetersTest {

    private static final Duration WINDOW = Duration.ofMinutes(5);

    @Test
    void eachSubscriptionHasItsCountersAndDurationQuantiles() {
        StatsAdmin admin = new StatsAdmin();
        admin.answer = List.of(new SubscriptionStats("mailer", 7, 2, 1, 1, new SubscriptionStats.Durations(WINDOW,
                9, Optional.of(Duration.ofMillis(250)), Optional.of(Duration.ofMillis(1500)),
                Optional.of(Duration.ofSeconds(2)), Optional.of(Duration.ofSeconds(3)))));
        String scrape = new QueueMetrics(Optional.of(admin), Clock.systemUTC()).scrape();
        assertTrue(scrape.contains("hexbus_subscription_handled_total{subscription=\"mailer\"} 7.0"), scrape);
        assertTrue(scrape.contains("hexbus_subscription_failed_attempts_total{subscription=\"mailer\"} 2.0"), scrape);
        assertTrue(scrape.contains("hexbus_subscription_retries_scheduled_total{subscription=\"mailer\"} 1.0"),
                scrape);
        assertTrue(scrape.contains("hexbus_subscription_dead_lettered_total{subscription=\"mailer\"} 1.0"), scrape);
        assertTrue(scrape.contains("hexbus_subscription_duration_seconds{quantile=\"0.5\",subscription=\"mailer\"}"
                + " 0.25"), scrape);
        assertTrue(scrape.contains("hexbus_subscription_duration_seconds{quantile=\"0.95\",subscription=\"mailer\"}"
                + " 1.5"), scrape);
        assertTrue(scrape.contains("hexbus_subscription_duration_seconds{quantile=\"0.99\",subscription=\"mailer\"}"
                + " 2.0"), scrape);
    }

    @Test
    void aSubscriptionReportedLaterJoinsTheNextScrapeAndAnEmptyWindowIsNaN() {
        StatsAdmin admin = new StatsAdmin();
        QueueMetrics metrics = new QueueMetrics(Optional.of(admin), Clock.systemUTC());
        assertFalse(metrics.scrape().contains("hexbus_subscription_handled_total"));
        admin.answer = List.of(new SubscriptionStats("ledger", 3, 0, 0, 0, SubscriptionStats.Durations.none(WINDOW)));
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("hexbus_subscription_handled_total{subscription=\"ledger\"} 3.0"), scrape);
        assertTrue(scrape.contains("hexbus_subscription_duration_seconds{quantile=\"0.5\",subscription=\"ledger\"}"
                + " NaN"), scrape);
    }

    @Test
    void unreadableStatisticsAreNaNNotAFailedScrape() {
        StatsAdmin admin = new StatsAdmin();
        admin.answer = List.of(new SubscriptionStats("ledger", 3, 0, 0, 0, SubscriptionStats.Durations.none(WINDOW)));
        QueueMetrics metrics = new QueueMetrics(Optional.of(admin), Clock.systemUTC());
        metrics.scrape();
        admin.answer = null;
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("hexbus_subscription_handled_total{subscription=\"ledger\"} NaN"), scrape);
    }

    /** Our port answering fixed statistics; {@code answer} null makes the read fail as an unreachable store would. */
    private static final class StatsAdmin implements QueueAdmin {

        volatile List<SubscriptionStats> answer = new ArrayList<>();

        @Override
        public QueueStats stats() {
            return new QueueStats("billing", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        @Override
        public List<SubscriptionStats> subscriptionStats() {
            List<SubscriptionStats> given = answer;
            if (given == null) {
                throw new IllegalStateException("the store cannot be reached");
            }
            return given;
        }

        @Override
        public Optional<EventProgress> eventProgress(UUID eventId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DeadLetterPage deadLetters(int offset, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<DeadLetter> deadLetter(UUID eventId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean retry(UUID eventId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int retryAll() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean remove(UUID eventId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int cleanDeadLetters(Duration age) {
            throw new UnsupportedOperationException();
        }
    }
}
