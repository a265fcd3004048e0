package io.hexbus.kafka;

import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.engine.stats.DurationWindow;
import io.hexbus.engine.stats.SubscriptionActivity;
import io.hexbus.engine.stats.SubscriptionCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link SubscriptionReport}'s encoding and {@link SubscriptionReports}' fold without a broker: reports come back
 * equal; the group's totals add each worker's latest cumulative report once, survive the worker's end, and the
 * windows lapse.
 */
class SubscriptionReportTest {

    private static final long NOW = 1_764_770_000_000L;
    private static final long LAPSE = SubscriptionActivity.LAPSE.toMillis();

    @Test
    void aReportComesBackEqual() {
        SubscriptionReport report = new SubscriptionReport("billing-1a2b3c4d", Map.of(
                "mail sender\nv2", new SubscriptionCounts(5, 2, 1, 1), "ok", new SubscriptionCounts(7, 0, 0, 0)),
                Map.of("ok", DurationWindow.of(1_000_000, 3_000_000), "timed-only", DurationWindow.of(2_000_000)));

        SubscriptionReport read = SubscriptionReport.decode(report.key(), report.encode());

        assertEquals("subscriptions:billing-1a2b3c4d", report.key());
        assertEquals(Map.of("mail sender\nv2", new SubscriptionCounts(5, 2, 1, 1), "ok",
                new SubscriptionCounts(7, 0, 0, 0), "timed-only", SubscriptionCounts.ZERO), read.counts());
        assertEquals(Map.of("ok", 2L, "timed-only", 1L), Map.of("ok", read.windows().get("ok").runs(), "timed-only",
                read.windows().get("timed-only").runs()));
        assertEquals(report.windows().get("ok").percentile(99), read.windows().get("ok").percentile(99));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "1\nok 1 2 3", "1\nok 1 2 3 -1 -", "1\nok 1 2 3 4 not-a-window",
            "1\nok 1 2 x 4 -"})
    void anythingElseIsRefused(String value) {
        assertThrows(IllegalArgumentException.class, () -> SubscriptionReport.decode("subscriptions:w", value));
    }

    @Test
    void aKeyWithoutTheWorkerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SubscriptionReport.decode("subscriptions:", "1"));
        assertThrows(IllegalArgumentException.class, () -> SubscriptionReport.decode("w", "1"));
    }

    @Test
    void totalsAddEachWorkersLatestReportOnceAndOutliveTheWorker() {
        SubscriptionReports reports = new SubscriptionReports();
        add(reports, "w1", 3, NOW - 60_000);
        add(reports, "w1", 5, NOW - 50_000); // cumulative: replaces the 3, a report written twice counts once
        add(reports, "w1", 5, NOW - 40_000);
        add(reports, "w2", 4, NOW - 1_000);
        reports.add("w2", WorkerReportTest.class.getSimpleName(), NOW); // a worker report's key: not this fold's

        List<SubscriptionStats> stats = reports.stats(NOW);

        assertEquals(1, stats.size());
        assertEquals(9, stats.get(0).handled(), "w1 (gone, its last report kept) and w2");
        assertEquals(1, stats.get(0).window().runs(), "only w2's window is fresh");
    }

    @Test
    void aWindowLapsesAndATombstoneOrAMalformedRecordForgetsItsWorker() {
        SubscriptionReports reports = new SubscriptionReports();
        add(reports, "w1", 3, NOW - LAPSE);
        add(reports, "w2", 4, NOW - LAPSE + 1);
        add(reports, "w3", 10, NOW);
        reports.add("subscriptions:w3", null, NOW);
        add(reports, "w4", 20, NOW);
        reports.add("subscriptions:w4", "garbage", NOW);

        SubscriptionStats stats = reports.stats(NOW).get(0);

        assertEquals(7, stats.handled());
        assertEquals(1, stats.window().runs(), "w1's window lapsed");
    }

    private static void add(SubscriptionReports reports, String worker, long handled, long appendedAt) {
        SubscriptionReport report = new SubscriptionReport(worker, Map.of("mail", new SubscriptionCounts(handled,
                0, 0, 0)), Map.of("mail", DurationWindow.of(1_000_000)));
        reports.add(report.key(), report.encode(), appendedAt);
    }
}
