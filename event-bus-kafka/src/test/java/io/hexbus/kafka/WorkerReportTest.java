package io.hexbus.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WorkerReport}'s encoding and {@link WorkerReports}' fold without a broker: reports come back equal; anything
 * else is refused with an {@link IllegalArgumentException}, and the fold skips and counts it.
 */
class WorkerReportTest {

    private static final WorkerReport REPORT = new WorkerReport("worker-1 on host/a", 12, 3, 1, 2, 5, 4, 6,
            1_764_770_000_123L);

    @Test
    void aReportComesBackEqual() {
        assertEquals("2 12 3 1 2 5 4 6 0 1764770000123", REPORT.encode());
        assertEquals(REPORT, WorkerReport.decode(REPORT.worker(), REPORT.encode()));
        WorkerReport extremes = new WorkerReport("w", Long.MAX_VALUE, 0, 0, 0, 0, 0, 0, Long.MAX_VALUE);
        assertEquals(extremes, WorkerReport.decode("w", extremes.encode()));
        WorkerReport settling = new WorkerReport("w", 1, 0, 0, 0, 0, 0, 2, 2, 5);
        assertEquals("2 1 0 0 0 0 0 2 2 5", settling.encode());
        assertEquals(settling, WorkerReport.decode("w", settling.encode()));
    }

    @Test
    void aReportOfTheFirstVersionIsReadWithNothingSettling() {
        assertEquals(new WorkerReport("w", 12, 3, 1, 2, 5, 4, 6, 0, 1_764_770_000_123L),
                WorkerReport.decode("w", "1 12 3 1 2 5 4 6 1764770000123"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "2 12 3 1 2 5 4 6 1", "1 12 3 1 2 5 4 6", "1 12 3 1 2 5 4 6 1 7",
        "1 12 3 1 2 5 4 6 1 ", "2 12 3 1 2 5 4 6 7 1", "3 12 3 1 2 5 4 6 0 1", "1 12 3 1 2 5 4 6 0 1", " 1 12 3 1 2 5 4 6 1", "1  12 3 1 2 5 4 6 1", "1 -12 3 1 2 5 4 6 1",
        "1 +12 3 1 2 5 4 6 1", "1 12 3 1 2 5 4 x 1", "1 12\t3 1 2 5 4 6 1", "1 9223372036854775808 3 1 2 5 4 6 1",
        "1 12 3 1 2 5 4 6 99999999999999999999", "1 12 3 1 2 5 4 6 1\n", "{\"completed\":12}"})
    void aMalformedValueIsRefused(String value) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> WorkerReport.decode("w", value));
        assertTrue(refused.getMessage().contains("'w'"), refused.getMessage());
    }

    @Test
    void aMissingKeyOrValueIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WorkerReport.decode(null, REPORT.encode()));
        assertThrows(IllegalArgumentException.class, () -> WorkerReport.decode("", REPORT.encode()));
        assertThrows(IllegalArgumentException.class, () -> WorkerReport.decode("w", null));
        assertThrows(IllegalArgumentException.class, () -> new WorkerReport("w", 0, 0, 0, 0, 0, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new WorkerReport("w", 0, 0, 0, 0, 0, 0, 1, 2, 0),
                "what is settling is part of what is held");
    }

    @Test
    void aRecordSettlingIsNeitherActiveNorReserved() {
        WorkerReports fold = new WorkerReports();
        long now = 1_000_000;
        // A dead letter being written: its handler done (a report's running count may be older), its offset not
        // committed yet.
        fold.add("a", new WorkerReport("a", 0, 1, 0, 0, 0, 1, 1, 1, now).encode());
        fold.add("b", new WorkerReport("b", 0, 0, 0, 0, 0, 2, 4, 1, now).encode());

        WorkerReports.Totals totals = fold.totals(now, Duration.ofSeconds(10));

        assertEquals(2, totals.active());
        assertEquals(1, totals.reserved());
        assertEquals(2, totals.settling());
    }

    @Test
    void theFoldKeepsTheLatestReportOfEachWorkerAndSumsFreshCountsOnly() {
        WorkerReports fold = new WorkerReports();
        long now = 1_000_000;
        fold.add("a", new WorkerReport("a", 1, 1, 1, 1, 1, 9, 9, now).encode());
        fold.add("a", new WorkerReport("a", 10, 2, 0, 0, 1, 2, 3, now - 1_000).encode()); // replaces the first
        fold.add("b", new WorkerReport("b", 5, 0, 1, 1, 0, 4, 4, now - 10_000).encode()); // stale
        fold.add("c", new WorkerReport("c", 7, 0, 0, 0, 0, 5, 1, now).encode()); // more running than held
        fold.add("d", new WorkerReport("d", 100, 0, 0, 0, 0, 0, 0, now).encode());
        fold.add("d", null); // forgotten
        fold.add("e", new WorkerReport("e", 50, 0, 0, 0, 0, 1, 1, now).encode());
        fold.add("e", "not a report"); // takes the place of e's report, as compaction will
        fold.add(null, "1 1 1 1 1 1 1 1 1");

        WorkerReports.Totals totals = fold.totals(now, Duration.ofSeconds(10));

        assertEquals(new WorkerReports.Totals(22, 2, 1, 1, 1, 3, 1, 3, 2, 2), totals);
        assertEquals(3, fold.totals(now, Duration.ofMillis(10_001)).fresh(), "b, 10 s old, is fresh under 10.001 s");
    }
}
