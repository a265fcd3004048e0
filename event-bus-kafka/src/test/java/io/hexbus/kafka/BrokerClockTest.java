package io.hexbus.kafka;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BrokerClockTest {

    private final Clock local = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);

    @Test
    void isTheWorkersClockUntilASampleArrives() {
        BrokerClock clock = new BrokerClock(local);

        assertEquals(1_000_000, clock.millis());
        assertEquals(0, clock.offsetMillis());
    }

    @Test
    void takesTheOffsetAtTheMiddleOfTheRoundTrip() {
        BrokerClock clock = new BrokerClock(local);

        // Sent at 100, acknowledged at 110, appended at the broker's 3,600,105: the broker is an hour ahead.
        clock.observe(100, 110, 3_600_105);

        assertEquals(3_600_000, clock.offsetMillis());
        assertEquals(1_000_000 + 3_600_000, clock.millis());
    }

    @Test
    void aBrokerBehindTheWorkerGivesANegativeOffset() {
        BrokerClock clock = new BrokerClock(local);

        clock.observe(10_000, 10_004, 8_002);

        assertEquals(-2_000, clock.offsetMillis());
    }

    @Test
    void keepsTheSampleWithTheShortestRoundTrip() {
        BrokerClock clock = new BrokerClock(local);
        clock.observe(100, 102, 5_101); // round trip 2: offset 5,000

        clock.observe(200, 400, 5_250); // round trip 200: a looser bound, offset 4,950

        assertEquals(5_000, clock.offsetMillis());
    }

    @Test
    void aSampleOlderThanItsLifetimeIsReplacedByAnyLaterOne() {
        BrokerClock clock = new BrokerClock(local);
        clock.observe(100, 102, 5_101);

        long later = 102 + BrokerClock.SAMPLE_LIFETIME_MILLIS + 1;
        clock.observe(later - 200, later, later - 100 + 7_000); // a loose bound, but the old one is stale

        assertEquals(7_000, clock.offsetMillis());
    }

    @Test
    void aWriteWithoutTimestampOrWithTheClockSetBackTeachesNothing() {
        BrokerClock clock = new BrokerClock(local);

        clock.observe(100, 110, -1);
        clock.observe(200, 150, 9_999);

        assertEquals(0, clock.offsetMillis());
    }
}
