package io.hexbus.redis;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** report-activity-2.lua: totals added up per subscription, windows per worker replaced, withdrawn and lapsing. */
class ReportActivityScriptTest {

    @AutoClose
    final ScriptsOnRedis on = new ScriptsOnRedis();

    private long report(String worker, long lapseMillis, String windows, String... counts) {
        String[] args = new String[3 + counts.length];
        args[0] = worker;
        args[1] = Long.toString(lapseMillis);
        args[2] = windows;
        System.arraycopy(counts, 0, args, 3, counts.length);
        return on.scripts.<Long>run(Script.REPORT_ACTIVITY, new String[] {on.keys.subscriptionCounts(),
                on.keys.subscriptionWindows()}, args);
    }

    @Test
    void countsAreAddedToTheGroupsTotalsWhichNeverExpire() {
        report("w1", 60_000, "", "handled:mail", "2", "failed:mail", "1");
        report("w2", 60_000, "", "handled:mail", "3");

        assertEquals(Map.of("handled:mail", "5", "failed:mail", "1"), on.redis.hgetall(on.keys.subscriptionCounts()));
        assertEquals(-1, on.redis.pttl(on.keys.subscriptionCounts()));
    }

    @Test
    void aWorkersWindowsReplaceItsPreviousOnesAndAnEmptyReportWithdrawsThem() {
        report("w1", 60_000, "mail\nAAA");
        report("w1", 60_000, "sms\nBBB");
        report("w2", 60_000, "mail\nCCC");

        Map<String, String> windows = on.redis.hgetall(on.keys.subscriptionWindows());
        assertTrue(windows.get("w1").matches("\\d+\nsms\nBBB"), windows.get("w1"));
        assertTrue(on.redis.pttl(on.keys.subscriptionWindows()) > 0, "the key expires with the last live report");

        report("w1", 60_000, "");
        assertEquals(List.of("w2"), on.redis.hkeys(on.keys.subscriptionWindows()));
    }

    @Test
    void aWorkerThatStoppedReportingIsRemovedByTheNextReportOnceItsWindowsLapsed() {
        report("live", 60_000, "mail\nBBB");
        report("gone", 1, "mail\nAAA");
        await().atMost(Duration.ofSeconds(10)).until(() -> report("live", 60_000, "mail\nBBB") == 1);

        assertEquals(List.of("live"), on.redis.hkeys(on.keys.subscriptionWindows()));
    }
}
