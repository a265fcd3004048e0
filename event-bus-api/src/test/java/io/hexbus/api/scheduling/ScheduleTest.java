package io.hexbus.api.scheduling;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {

    @Test
    void describesItselfForListings() {
        assertEquals("0 0 9 * * *", Schedule.cron(" 0 0 9 * * * ", ZoneId.of("Europe/Paris")).description());
        assertEquals("PT5M", Schedule.fixedRate(Duration.ofMinutes(5)).description());
        assertEquals(ZoneId.of("UTC"), Schedule.fixedRate(Duration.ofMinutes(5)).zone());
    }

    @Test
    void refusesABlankExpressionAndAPeriodBelowAMillisecond() {
        assertThrows(IllegalArgumentException.class, () -> Schedule.cron(" ", ZoneId.of("UTC")));
        assertThrows(IllegalArgumentException.class, () -> Schedule.fixedRate(Duration.ZERO));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Schedule.fixedRate(Duration.ofNanos(1_500_000)));
        assertTrue(e.getMessage().contains("whole milliseconds"), e.getMessage());
    }

    @Test
    void refusesBlankAndOverlongNames() {
        assertThrows(IllegalArgumentException.class, () -> RecurringEvents.requireValidName(" "));
        assertThrows(IllegalArgumentException.class,
                () -> RecurringEvents.requireValidName("x".repeat(RecurringEvents.MAX_NAME_LENGTH + 1)));
        assertEquals("a.b", RecurringEvents.requireValidName("a.b"));
    }
}
