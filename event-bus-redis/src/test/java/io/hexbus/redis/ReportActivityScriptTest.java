package io.hexbus.redis;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * report-activity-4.lua: totals added up per subscription, once per report number and worker; windows per worker
 * replaced, withdrawn and lapsing.
 */
class ReportActivityScriptTest {

    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    @AutoClose
    final ScriptsOnRedis on = new ScriptsOnRedis();

    private long report(String worker, long sequence, long lapseMillis, String windows, String... counts) {
        String[] args = new String[5 + counts.length];
        args[0] = worker;
        args[1] = Long.toString(lapseMillis);
        args[2] = Long.toString(sequence);
        args[3] = Long.toString(DAY_MILLIS);
        args[4] = windows;
        System.arraycopy(counts, 0, args, 5, counts.length);
        return on.scripts.<Long>run(Script.REPORT_ACTIVITY, new String[] {on.keys.subscriptionCounts(),
                on.keys.subscriptionWindows(), on.keys.subscriptionDeadlines(), on.keys.reportSequence(worker)}, args);
    }

    private Map<String, String> totals() {
        return on.redis.hgetall(on.keys.subscriptionCounts());
    }

    @Test
    void countsAreAddedToTheGroupsTotalsWhichNeverExpire() {
        report("w1", 1, 60_000, "", "handled:mail", "2", "failed:mail", "1");
        report("w2", 1, 60_000, "", "handled:mail", "3");

        assertEquals(Map.of("handled:mail", "5", "failed:mail", "1"), totals());
        assertEquals(-1, on.redis.pttl(on.keys.subscriptionCounts()));
    }

    @Test
    void aReportSentAgainWithItsNumberCountsOnce() {
        report("w1", 1, 60_000, "", "handled:mail", "2");
        report("w1", 1, 60_000, "", "handled:mail", "2"); // its first call ran, but the worker saw it fail

        assertEquals(Map.of("handled:mail", "2"), totals());
        long kept = on.redis.pttl(on.keys.reportSequence("w1"));
        assertTrue(kept > 0 && kept <= DAY_MILLIS, "the worker's number expires, renewed by each report: " + kept);
    }

    @Test
    void aHigherNumberCountsEvenWhenNumbersSkip() {
        report("w1", 1, 60_000, "", "handled:mail", "2");
        report("w1", 5, 60_000, "", "handled:mail", "3");
        report("w2", 1, 60_000, "", "handled:mail", "4"); // another worker's numbers are its own

        assertEquals(Map.of("handled:mail", "9"), totals());
    }

    @Test
    void aStaleNumberCountsNothingAndLeavesTheWindows() {
        report("w1", 3, 60_000, "mail\nNEW", "handled:mail", "1");
        report("w1", 2, 60_000, "mail\nOLD", "handled:mail", "1");

        assertEquals(Map.of("handled:mail", "1"), totals());
        assertTrue(on.redis.hget(on.keys.subscriptionWindows(), "w1").endsWith("\nmail\nNEW"));
    }

    @Test
    void aWorkersWindowsReplaceItsPreviousOnesAndAnEmptyReportWithdrawsThem() {
        report("w1", 1, 60_000, "mail\nAAA");
        report("w1", 2, 60_000, "sms\nBBB");
        report("w2", 1, 60_000, "mail\nCCC");

        Map<String, String> windows = on.redis.hgetall(on.keys.subscriptionWindows());
        assertTrue(windows.get("w1").matches("\\d+\nsms\nBBB"), windows.get("w1"));
        assertEquals(Double.valueOf(windows.get("w1").split("\n")[0]),
                on.redis.zscore(on.keys.subscriptionDeadlines(), "w1"), "the deadline is kept in the sorted set too");
        assertTrue(on.redis.pttl(on.keys.subscriptionWindows()) > 0, "the key expires with the last live report");
        assertTrue(on.redis.pttl(on.keys.subscriptionDeadlines()) > 0, "so do the deadlines");

        report("w1", 3, 60_000, "");
        assertEquals(List.of("w2"), on.redis.hkeys(on.keys.subscriptionWindows()));
        assertEquals(List.of("w2"), on.redis.zrange(on.keys.subscriptionDeadlines(), 0, -1));
    }

    @Test
    void aReportSentAgainStillReplacesTheWindowsButNotTheCounts() {
        report("w1", 4, 60_000, "mail\nAAA", "handled:mail", "1");
        report("w1", 4, 60_000, "mail\nBBB", "handled:mail", "1");

        assertEquals(Map.of("handled:mail", "1"), totals());
        assertTrue(on.redis.hget(on.keys.subscriptionWindows(), "w1").endsWith("\nmail\nBBB"));
    }

    @Test
    void aWorkerThatStoppedReportingIsRemovedByTheNextReportOnceItsWindowsLapsed() {
        report("live", 1, 60_000, "mail\nBBB");
        report("gone", 1, 1, "mail\nAAA");
        long[] sequence = {1};
        await().atMost(Duration.ofSeconds(10)).until(() -> report("live", ++sequence[0], 60_000, "mail\nBBB") == 1);

        assertEquals(List.of("live"), on.redis.hkeys(on.keys.subscriptionWindows()));
        assertEquals(List.of("live"), on.redis.zrange(on.keys.subscriptionDeadlines(), 0, -1),
                "found through the sorted set, and removed from it");
    }

    @Test
    void lapsedWorkersAreFoundThroughTheSortedSetNotByReadingEveryWindow() {
        long farAhead = System.currentTimeMillis() + DAY_MILLIS;
        on.redis.hset(on.keys.subscriptionWindows(), Map.of("lapsed", farAhead + "\nmail\nAAA",
                "unindexed", "1\nmail\nBBB"));
        on.redis.zadd(on.keys.subscriptionDeadlines(), 1, "lapsed");

        assertEquals(1, report("live", 1, 60_000, "mail\nCCC"));

        assertEquals(List.of("live", "unindexed"), on.redis.hkeys(on.keys.subscriptionWindows()).stream().sorted()
                .toList(), "the sorted set decides; a field it does not index is not read (the admin skips it)");
    }
}
