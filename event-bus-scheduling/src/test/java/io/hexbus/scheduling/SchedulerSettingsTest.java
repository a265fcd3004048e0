package io.hexbus.scheduling;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SchedulerSettingsTest {

    @Test
    void theCatchUpBoundIsKeptWithinHalfTheDedupeWindow() {
        SchedulerSettings defaults = SchedulerSettings.defaults();

        assertEquals(Duration.ofHours(12), defaults.withinDedupeWindow(Duration.ofHours(24)).catchUpBound(),
                "Kafka's and RabbitMQ's 24 h window");
        assertSame(defaults, defaults.withinDedupeWindow(Duration.ofDays(7)), "Redis's 7 days leave one day alone");
        assertThrows(IllegalArgumentException.class, () -> defaults.withinDedupeWindow(Duration.ZERO));
    }
}
