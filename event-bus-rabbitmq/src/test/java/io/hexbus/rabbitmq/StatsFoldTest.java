package io.hexbus.rabbitmq;

import io.hexbus.engine.stats.SubscriptionActivity;
import io.hexbus.engine.stats.SubscriptionCounts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StatsFold} without a broker: the latest report of each worker summed; departed workers absorbed into
 * checkpoints, so that their counts outlive their reports' age in the stream; concurrent checkpoints.
 */
class StatsFoldTest {

    private static final Duration STALENESS = Duration.ofSeconds(30);
    private static final long DEPARTED = 600_000; // 10 minutes

    /** A stream: records at their offsets, and the reads of it (possibly missing the aged-out head). */
    private final List<StatsLog.Entry> log = new ArrayList<>();

    @Test
    void sumsTheLatestReportOfEachWorkerAndCountsOnlyFreshOnesAsHolding() {
        append(report("a", 10, 1_000, 3, 5, 1));
        append(report("b", 7, 1_000, 1, 1, 0));
        append(report("a", 12, 50_000, 2, 6, 2));
        StatsFold.Totals totals = read(0).totals(60_000, STALENESS);
        assertEquals(19, totals.completed());
        assertEquals(2, totals.failedAttempts());
        assertEquals(2, totals.workers());
        assertEquals(1, totals.fresh());
        assertEquals(2, totals.active(), "a's running, at most its held not settling");
        assertEquals(2, totals.reserved());
        assertEquals(2, totals.settling());
        assertThrows(IllegalArgumentException.class, () -> read(0).totals(0, Duration.ZERO));
    }

    @Test
    void runningIsNeverMoreThanHeld() {
        append(report("a", 1, 1_000, 9, 4, 1));
        StatsFold.Totals totals = read(0).totals(1_000, STALENESS);
        assertEquals(3, totals.active());
        assertEquals(0, totals.reserved());
        assertEquals(1, totals.settling());
    }

    @Test
    void aCheckpointAbsorbsTheDepartedAndKeepsTheTotals() {
        append(report("gone", 10, 1_000, 0, 0, 0));
        append(report("here", 5, 1_000, 0, 0, 0));
        append(report("here", 6, 700_000, 0, 0, 0));
        StatsFold before = read(0);
        assertEquals(Optional.empty(), before.nextCheckpoint(DEPARTED, 500_000), "nobody silent for 10 minutes");
        StatsLog.Checkpoint checkpoint = before.nextCheckpoint(DEPARTED, 700_001).orElseThrow();
        assertEquals(Map.of("gone", 0L), checkpoint.absorbed());
        assertEquals(10, checkpoint.totals().completed());
        append(checkpoint);

        StatsFold after = read(0);
        assertEquals(16, after.totals(700_001, STALENESS).completed());
        assertEquals(1, after.totals(700_001, STALENESS).workers(), "gone counts through the checkpoint");
        assertEquals(Optional.empty(), after.nextCheckpoint(DEPARTED, 700_002), "nothing new departed");
    }

    @Test
    void theCountsOfADepartedWorkerOutliveItsReportsAgingOut() {
        append(report("gone", 10, 1_000, 0, 0, 0));          // offset 0
        append(report("here", 5, 1_000, 0, 0, 0));          // 1
        append(report("here", 6, 850_000, 0, 0, 0));        // 2
        append(read(0).nextCheckpoint(DEPARTED, 900_000).orElseThrow()); // 3: absorbs gone
        append(report("here", 8, 950_000, 0, 0, 0));        // 4
        assertEquals(18, read(0).totals(950_000, STALENESS).completed());

        StatsFold aged = read(3); // the stream's head (every report before the checkpoint) aged out
        assertEquals(18, aged.totals(950_000, STALENESS).completed());
        StatsLog.Checkpoint pruned = aged.nextCheckpoint(DEPARTED, 950_001).orElseThrow();
        assertEquals(Map.of(), pruned.absorbed(), "names whose absorbed reports are gone are forgotten");
        assertEquals(10, pruned.totals().completed());
        append(pruned);
        assertEquals(18, read(4).totals(950_001, STALENESS).completed());
        assertEquals(Optional.empty(), read(4).nextCheckpoint(DEPARTED, 950_002));
    }

    @Test
    void concurrentCheckpointsLoseNothing() {
        append(report("x", 10, 1_000, 0, 0, 0));  // 0
        append(report("y", 20, 1_000, 0, 0, 0));  // 1
        append(report("z", 40, 400_000, 0, 0, 0)); // 2
        StatsFold read = read(0);
        StatsLog.Checkpoint first = read.nextCheckpoint(DEPARTED, 700_000).orElseThrow(); // x, y
        StatsLog.Checkpoint second = read.nextCheckpoint(DEPARTED, 1_100_000).orElseThrow(); // x, y, z
        append(second);
        append(first); // the older snapshot is appended last: it wins, and z counts through its own report
        assertEquals(70, read(0).totals(1_100_000, STALENESS).completed());
        assertEquals(1, read(0).totals(1_100_000, STALENESS).workers());

        StatsLog.Checkpoint next = read(0).nextCheckpoint(DEPARTED, 1_100_000).orElseThrow();
        assertEquals(Map.of("x", 0L, "y", 1L, "z", 2L), next.absorbed());
        append(next);
        assertEquals(70, read(3).totals(1_100_000, STALENESS).completed(), "every report aged out");
    }

    @Test
    void aLaterRunUnderAnAbsorbedNameCountsInFull() {
        append(report("w", 10, 1_000, 0, 0, 0));
        append(read(0).nextCheckpoint(DEPARTED, 700_000).orElseThrow());
        append(report("w", 3, 800_000, 0, 0, 0)); // restarted: counts from 0 again
        assertEquals(13, read(0).totals(800_000, STALENESS).completed());
    }

    @Test
    void sumsTheLatestActivityOfEachWorkerPerSubscription() {
        append(activity("a", 1_000, 3, "w1"));
        append(activity("b", 1_000, 2, "w2"));
        append(activity("a", 2_000, 5, "w3")); // cumulative: supersedes a's first
        StatsFold fold = read(0);
        assertEquals(Map.of("mail", new SubscriptionCounts(7, 7, 0, 0)), fold.subscriptionTotals());
        assertEquals(Map.of("mail", List.of("w3")), fold.liveWindows(1_000 + SubscriptionActivity.LAPSE.toMillis(),
                SubscriptionActivity.LAPSE), "b's windows lapsed, a's renewed");
        append(new StatsActivity("a", Map.of("mail", new SubscriptionCounts(6, 6, 0, 0)), Map.of(), 3_000, false));
        StatsFold later = read(0);
        assertEquals(new SubscriptionCounts(8, 8, 0, 0), later.subscriptionTotals().get("mail"));
        assertEquals(Map.of("mail", List.of("w3")), later.liveWindows(2_000 + SubscriptionActivity.LAPSE.toMillis()
                - 1, SubscriptionActivity.LAPSE), "a record without windows leaves them, lapsing from when written");
        assertEquals(Map.of(), later.liveWindows(2_000 + SubscriptionActivity.LAPSE.toMillis(),
                SubscriptionActivity.LAPSE));
    }

    @Test
    void aCheckpointAbsorbsTheDepartedWorkersSubscriptionCountsWithTheirReports() {
        append(report("gone", 10, 1_000, 0, 0, 0));   // 0
        append(activity("gone", 2_000, 4, "w"));       // 1
        append(report("here", 5, 700_000, 0, 0, 0));   // 2
        append(activity("here", 700_000, 1, "w"));     // 3
        append(activity("silent", 1_000, 2, "w"));     // 4: activity only
        append(activity("late", 1_000, 1, "w"));       // 5
        append(report("late", 1, 650_000, 0, 0, 0));   // 6: its latest record is recent
        StatsLog.Checkpoint checkpoint = read(0).nextCheckpoint(DEPARTED, 700_001).orElseThrow();
        assertEquals(Map.of("gone", 1L, "silent", 4L), checkpoint.absorbed());
        assertEquals(Map.of("mail", new SubscriptionCounts(6, 6, 0, 0)), checkpoint.subscriptions());
        append(checkpoint);
        assertEquals(Map.of("mail", new SubscriptionCounts(8, 8, 0, 0)), read(0).subscriptionTotals());
        assertEquals(Map.of("mail", new SubscriptionCounts(6, 6, 0, 0)), read(7).subscriptionTotals(),
                "every record before the checkpoint aged out: it keeps the departed workers' counts");
        assertEquals(Optional.empty(), read(0).nextCheckpoint(DEPARTED, 700_002));
        append(activity("gone", 800_000, 2, "w")); // a later run under the name counts in full
        assertEquals(new SubscriptionCounts(10, 10, 0, 0), read(0).subscriptionTotals().get("mail"));
    }

    @Test
    void countsWhatDidNotDecode() {
        StatsFold fold = new StatsFold();
        fold.skipUndecodable();
        assertEquals(1, fold.totals(0, STALENESS).undecodable());
        assertTrue(fold.checkpoint().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> fold.nextCheckpoint(0, 0));
    }

    @Test
    void sumsStayAtTheLargestLong() {
        append(report("a", Long.MAX_VALUE, 1_000, 0, 0, 0));
        append(report("b", 5, 1_000, 0, 0, 0));
        assertEquals(Long.MAX_VALUE, read(0).totals(1_000, STALENESS).completed());
    }

    /** An activity of {@code handled} runs of "mail", as many failed, and one window. */
    private static StatsActivity activity(String worker, long at, long handled, String window) {
        return new StatsActivity(worker, Map.of("mail", new SubscriptionCounts(handled, handled, 0, 0)),
                Map.of("mail", window), at, true);
    }

    private void append(StatsLog.Entry entry) {
        log.add(StatsLog.decode(StatsLog.encode(entry)));
    }

    private StatsFold read(int from) {
        StatsFold fold = new StatsFold();
        for (int offset = from; offset < log.size(); offset++) {
            fold.apply(offset, log.get(offset));
        }
        return fold;
    }

    private static StatsReport report(String worker, long completed, long at, long running, long held,
                                      long settling) {
        return new StatsReport(worker, completed, 1, 0, 0, 0, running, held, settling, at);
    }
}
