package io.hexbus.engine.stats;

import io.hexbus.api.admin.SubscriptionStats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationWindowTest {

    private static final long MS = 1_000_000;

    @Test
    void percentilesComeFromTheRecordedRunsWithinTwoSignificantDigits() {
        DurationWindow window = DurationWindow.of(LongStream.rangeClosed(1, 100).map(i -> i * MS).toArray());

        assertEquals(100, window.runs());
        assertClose(50, window.percentile(50));
        assertClose(95, window.percentile(95));
        assertClose(99, window.percentile(99));
        SubscriptionStats.Durations durations = window.toDurations(Duration.ofMinutes(5));
        assertClose(100, durations.max());
        assertEquals(Duration.ofMinutes(5), durations.length());
    }

    @Test
    void anEmptyWindowHasNoPercentiles() {
        assertEquals(SubscriptionStats.Durations.none(Duration.ofMinutes(5)),
                DurationWindow.empty().toDurations(Duration.ofMinutes(5)));
        assertEquals(Optional.empty(), DurationWindow.empty().percentile(50));
    }

    @Test
    void windowsOfSeveralWorkersMergeIntoOne() {
        DurationWindow fast = DurationWindow.of(1 * MS, 1 * MS, 1 * MS);
        DurationWindow slow = DurationWindow.of(200 * MS);

        DurationWindow both = fast.merge(slow);

        assertEquals(4, both.runs());
        assertClose(1, both.percentile(50));
        assertClose(200, both.percentile(99));
        assertEquals(3, fast.runs(), "merging leaves the parts as they were");
        assertSame(fast, fast.merge(DurationWindow.empty()));
    }

    @Test
    void aWindowSurvivesItsTextForm() {
        DurationWindow window = DurationWindow.of(3 * MS, 40 * MS, 7_000 * MS);

        DurationWindow read = DurationWindow.decode(window.encode());

        assertEquals(window.toDurations(Duration.ofMinutes(5)), read.toDurations(Duration.ofMinutes(5)));
        assertTrue(window.encode().length() < 200, "compact: " + window.encode().length() + " characters");
    }

    @Test
    void runsPastAnHourCountAsAnHourAndNothingIsBelowAMicrosecond() {
        DurationWindow window = DurationWindow.of(Duration.ofHours(3).toNanos(), 10);

        assertEquals(2, window.runs());
        assertTrue(window.percentile(100).orElseThrow().compareTo(Duration.ofMinutes(61)) < 0);
    }

    @Test
    void textThatIsNotAWindowIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DurationWindow.decode("bm90IGEgaGlzdG9ncmFt"));
        assertTrue(e.getMessage().startsWith("not a duration window"), e.getMessage());
    }

    @Test
    void theFoldSumsCountsAndMergesWindowsPerSubscriptionSortedByName() {
        List<SubscriptionStats> stats = SubscriptionStatsFold.fold(
                Map.of("mail", new SubscriptionCounts(5, 1, 1, 0), "audit", new SubscriptionCounts(6, 0, 0, 0)),
                Map.of("mail", List.of(DurationWindow.of(2 * MS), DurationWindow.of(4 * MS)),
                        "sms", List.of(DurationWindow.of(9 * MS))),
                Duration.ofMinutes(5));

        assertEquals(List.of("audit", "mail", "sms"), stats.stream().map(SubscriptionStats::subscription).toList());
        assertEquals(0, stats.get(0).window().runs());
        assertEquals(List.of(5L, 1L, 1L, 0L, 2L), List.of(stats.get(1).handled(), stats.get(1).failedAttempts(),
                stats.get(1).retriesScheduled(), stats.get(1).deadLettered(), stats.get(1).window().runs()));
        assertEquals(0, stats.get(2).handled(), "a subscription seen only in a window counts nothing yet");
    }

    private static void assertClose(long expectedMillis, Optional<Duration> actual) {
        double millis = actual.orElseThrow().toNanos() / 1e6;
        assertTrue(Math.abs(millis - expectedMillis) <= expectedMillis * 0.01 + 0.001,
                "expected about " + expectedMillis + " ms, was " + millis);
    }
}
