package io.hexbus.redis;

import io.hexbus.engine.stats.DurationWindow;
import io.hexbus.engine.stats.SubscriptionCounts;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SubscriptionActivityHashTest {

    @Test
    void countsTravelAsOneFieldPerCounterThatMovedAndAddUpByName() {
        List<String> args = SubscriptionActivityHash.countArgs(Map.of("mail", new SubscriptionCounts(3, 1, 1, 0),
                "sms", new SubscriptionCounts(0, 0, 0, 2)));

        assertEquals(List.of("handled:mail", "3", "failed:mail", "1", "retries:mail", "1", "dead:sms", "2"), args);
        Map<String, String> hash = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            hash.put(args.get(i), args.get(i + 1));
        }
        hash.put("handled:a:b", "4"); // a name with a colon: split at the counter's
        hash.put("handled:broken", "x");
        hash.put("other", "1");
        assertEquals(Map.of("mail", new SubscriptionCounts(3, 1, 1, 0), "sms", new SubscriptionCounts(0, 0, 0, 2),
                "a:b", new SubscriptionCounts(4, 0, 0, 0)), SubscriptionActivityHash.totals(hash));
    }

    @Test
    void onlyWindowsOfReportsStillValidAreRead() {
        String windows = SubscriptionActivityHash.windowsArg(Map.of("mail", DurationWindow.of(1_000_000, 3_000_000),
                "sms", DurationWindow.of(2_000_000)));

        Map<String, List<DurationWindow>> live = SubscriptionActivityHash.liveWindows(List.of(
                "2000\n" + windows, "1000\n" + windows, "3000\nmail\n" + DurationWindow.of(5_000_000).encode(),
                "garbage", "4000\nmail\nnot-base64!"), 1_500);

        assertEquals(2, live.get("mail").size(), "the report valid until 1000 has lapsed; the malformed are skipped");
        assertEquals(List.of(2L, 1L), live.get("mail").stream().map(DurationWindow::runs).toList());
        assertEquals(1, live.get("sms").size());
    }

    @Test
    void noWindowsIsAnEmptyArgument() {
        assertEquals("", SubscriptionActivityHash.windowsArg(Map.of()));
    }
}
