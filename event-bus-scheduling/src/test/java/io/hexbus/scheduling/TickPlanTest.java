package io.hexbus.scheduling;

import io.hexbus.api.scheduling.MissedTicks;
import io.hexbus.api.scheduling.Schedule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TickPlanTest {

    private static final TickSource EVERY_FIVE_MINUTES = TickSource.of(Schedule.fixedRate(Duration.ofMinutes(5)));
    private static final TickSource DAILY_AT_NINE_PARIS =
            TickSource.of(Schedule.cron("0 0 9 * * *", ZoneId.of("Europe/Paris")));

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    @Test
    void fixedRateTicksAreMultiplesOfThePeriodSinceTheEpoch() {
        assertEquals(Optional.of(at("2026-12-04T10:05:00Z")), EVERY_FIVE_MINUTES.nextAfter(at("2026-12-04T10:03:17.5Z")));
        assertEquals(Optional.of(at("2026-12-04T10:05:00Z")), EVERY_FIVE_MINUTES.nextAfter(at("2026-12-04T10:00:00Z")));
        assertEquals(Optional.of(at("2026-12-04T10:00:00Z")),
                EVERY_FIVE_MINUTES.latestAtOrBefore(at("2026-12-04T10:00:00Z")));
        assertEquals(Optional.of(at("2026-12-04T10:00:00Z")),
                EVERY_FIVE_MINUTES.latestAtOrBefore(at("2026-12-04T10:04:59.999Z")));
    }

    @Test
    void cronTicksAreReadInTheirZone() {
        // 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer.
        assertEquals(Optional.of(at("2026-12-05T08:00:00Z")), DAILY_AT_NINE_PARIS.nextAfter(at("2026-12-04T08:00:00Z")));
        assertEquals(Optional.of(at("2026-07-01T07:00:00Z")), DAILY_AT_NINE_PARIS.nextAfter(at("2026-06-30T07:00:00.001Z")));
        assertEquals(Optional.of(at("2026-12-04T08:00:00Z")),
                DAILY_AT_NINE_PARIS.latestAtOrBefore(at("2026-12-04T08:00:00Z")));
        assertEquals(Optional.of(at("2026-12-04T08:00:00Z")),
                DAILY_AT_NINE_PARIS.latestAtOrBefore(at("2026-12-05T07:59:59.999Z")));
        assertEquals(Optional.of(at("2026-12-04T08:00:00Z")),
                DAILY_AT_NINE_PARIS.nextAfter(at("2026-12-04T07:59:59.500Z")));
    }

    @Test
    void aTimeSkippedByDaylightSavingDoesNotFireAndARepeatedOneFiresAtItsFirstOccurrence() {
        TickSource halfPastTwo = TickSource.of(Schedule.cron("0 30 2 * * *", ZoneId.of("Europe/Paris")));
        // 2026-03-29 has no 02:30 in Paris; 2026-10-25 has two (02:30+02:00, then 02:30+01:00).
        assertEquals(Optional.of(at("2026-03-30T00:30:00Z")), halfPastTwo.nextAfter(at("2026-03-28T01:30:00Z")));
        assertEquals(Optional.of(at("2026-10-25T00:30:00Z")), halfPastTwo.nextAfter(at("2026-10-24T00:30:00Z")));
        assertEquals(Optional.of(at("2026-10-26T01:30:00Z")), halfPastTwo.nextAfter(at("2026-10-25T00:30:00Z")));
    }

    @Test
    void aBadCronExpressionIsRefusedNamingItAndWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TickSource.of(Schedule.cron("0 9 * * *", ZoneId.of("UTC"))));
        assertTrue(e.getMessage().contains("'0 9 * * *'"), e.getMessage());
        assertTrue(e.getMessage().contains("six fields"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TickSource.of(Schedule.cron("0 61 * * * *", ZoneId.of("UTC"))));
        // The examples of docs/scheduling.md parse.
        assertEquals(Optional.of(at("2026-12-04T10:15:00Z")), TickSource.of(
                Schedule.cron("0 */15 * * * MON-FRI", ZoneId.of("UTC"))).nextAfter(at("2026-12-04T10:00:00Z")));
        assertEquals(Optional.of(at("2026-12-04T10:00:01Z")), TickSource.of(
                Schedule.cron("* * * * * *", ZoneId.of("UTC"))).nextAfter(at("2026-12-04T10:00:00Z")));
    }

    @Test
    void fireOnceFiresTheLatestMissedTickWithinTheBound() {
        Instant now = at("2026-12-04T10:07:00Z");
        assertEquals(Optional.of(at("2026-12-04T10:05:00Z")),
                TickPlan.atStart(EVERY_FIVE_MINUTES, now, MissedTicks.FIRE_ONCE, Duration.ofDays(1)));
        // Missed 9:00 in Paris (08:00Z) yesterday, within one day: fires; beyond a bound of one hour: does not.
        Instant nextMorning = at("2026-12-05T07:30:00Z");
        assertEquals(Optional.of(at("2026-12-04T08:00:00Z")),
                TickPlan.atStart(DAILY_AT_NINE_PARIS, nextMorning, MissedTicks.FIRE_ONCE, Duration.ofDays(1)));
        assertEquals(Optional.empty(),
                TickPlan.atStart(DAILY_AT_NINE_PARIS, nextMorning, MissedTicks.FIRE_ONCE, Duration.ofHours(1)));
    }

    @Test
    void skipFiresNothingAtStart() {
        assertEquals(Optional.empty(), TickPlan.atStart(EVERY_FIVE_MINUTES, at("2026-12-04T10:05:00Z"),
                MissedTicks.SKIP, Duration.ofDays(1)));
    }

    @Test
    void ticksMissedWhileRunningCoalesceIntoTheLatest() {
        Instant nextDue = at("2026-12-04T10:05:00Z");
        assertEquals(Optional.empty(), TickPlan.due(EVERY_FIVE_MINUTES, nextDue, at("2026-12-04T10:04:59.999Z")));
        assertEquals(Optional.of(nextDue), TickPlan.due(EVERY_FIVE_MINUTES, nextDue, at("2026-12-04T10:05:00.020Z")));
        // A 17-minute pause: 10:05, 10:10, 10:15 and 10:20 came due; only 10:20 fires.
        assertEquals(Optional.of(at("2026-12-04T10:20:00Z")),
                TickPlan.due(EVERY_FIVE_MINUTES, nextDue, at("2026-12-04T10:22:00Z")));
    }

    @Test
    void retriesBackOffAndStopWhenTheNextTickIsDue() {
        Instant failedAt = at("2026-12-04T10:05:00Z");
        Instant nextTick = at("2026-12-04T10:10:00Z");
        Duration initial = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(30);
        assertEquals(Optional.of(failedAt.plusSeconds(1)), TickPlan.retryAt(failedAt, 1, nextTick, initial, max));
        assertEquals(Optional.of(failedAt.plusSeconds(8)), TickPlan.retryAt(failedAt, 4, nextTick, initial, max));
        assertEquals(Optional.of(failedAt.plusSeconds(30)), TickPlan.retryAt(failedAt, 40, nextTick, initial, max));
        assertEquals(Optional.empty(),
                TickPlan.retryAt(at("2026-12-04T10:09:45Z"), 6, nextTick, initial, max));
    }
}
