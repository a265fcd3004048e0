package io.hexbus.engine.stats;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionTallyTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SubscriptionTally tally = new SubscriptionTally(Duration.ofMinutes(5), now::get);

    @Test
    void countsArePerSubscriptionAndReportedOnce() {
        tally.handled("mail", 2_000_000, false);
        tally.handled("mail", 3_000_000, true);
        tally.retryScheduled("mail");
        tally.handled("audit", 1_000_000, false);
        tally.deadLettered("sms");

        SubscriptionActivity first = tally.activity();
        assertEquals(Map.of("mail", new SubscriptionCounts(1, 1, 1, 0), "audit", new SubscriptionCounts(1, 0, 0, 0),
                "sms", new SubscriptionCounts(0, 0, 0, 1)), first.counts());
        tally.reported(first);

        tally.handled("mail", 2_000_000, false);
        assertEquals(Map.of("mail", new SubscriptionCounts(1, 0, 0, 0)), tally.activity().counts(),
                "only what was not reported yet");
    }

    @Test
    void anActivityNotMarkedReportedIsSentAgainWithTheNext() {
        tally.handled("mail", 1_000_000, false);
        tally.activity(); // its store failed: not marked reported
        tally.handled("mail", 1_000_000, false);

        assertEquals(new SubscriptionCounts(2, 0, 0, 0), tally.activity().counts().get("mail"));
    }

    @Test
    void runsLeaveTheWindowOnceItHasPassed() {
        tally.handled("mail", 5_000_000, false);
        assertEquals(1, tally.activity().windows().get("mail").runs());

        now.addAndGet(Duration.ofMinutes(3).toNanos());
        tally.handled("mail", 7_000_000, false);
        assertEquals(2, tally.activity().windows().get("mail").runs(), "both within five minutes");

        now.addAndGet(Duration.ofMinutes(3).toNanos());
        assertEquals(1, tally.activity().windows().get("mail").runs(), "the first is six minutes old");

        now.addAndGet(Duration.ofMinutes(6).toNanos());
        assertTrue(tally.activity().windows().isEmpty(), "nothing ran in the last five minutes");
    }

    @Test
    void theWindowLengthIsReportedWithTheWindows() {
        assertEquals(Duration.ofMinutes(5), tally.activity().windowLength());
    }
}
