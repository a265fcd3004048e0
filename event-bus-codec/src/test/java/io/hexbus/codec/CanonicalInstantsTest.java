package io.hexbus.codec;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CanonicalInstantsTest {

    @Test
    void readsBackWhatInstantToStringWritesAtEveryPrecision() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            long seconds = random.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            Instant instant = Instant.ofEpochSecond(seconds, nanos(random, i));
            assertEquals(instant, CanonicalInstants.parse(instant.toString()), instant::toString);
        }
    }

    @Test
    void writesWhatInstantToStringWritesAtEveryPrecisionAndEveryYear() {
        Random random = new Random(7);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 10_000; i++) {
            long seconds = switch (i % 5) {
                case 0 -> first + random.nextInt(100);
                case 1 -> last - random.nextInt(100);
                case 2 -> random.nextLong(first - 1_000_000_000L, first); // before year 0: left to Instant
                case 3 -> random.nextLong(last + 1, last + 1_000_000_000L); // after 9999: left to Instant
                default -> random.nextLong(first, last + 1);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos(random, i));
            assertEquals(instant.toString(), CanonicalInstants.format(instant));
        }
        assertEquals("1970-01-01T00:00:00.000000001Z", CanonicalInstants.format(Instant.ofEpochSecond(0, 1)));
        assertEquals("2025-01-31T12:00:00.100Z", CanonicalInstants.format(Instant.parse("2025-01-31T12:00:00.1Z")));
    }

    @Test
    void leavesEveryOtherFormToTheFullParser() {
        for (String text : new String[] {"2025-01-31T12:00:00+01:00", "2025-01-31T12:00Z", "2025-13-01T00:00:00Z",
                "2025-02-30T00:00:00Z", "2025-01-31 12:00:00Z", "2025-01-31T12:00:00.1Z", "+12025-01-31T12:00:00Z",
                "2025-01-3aT12:00:00Z", "2025-01-31T24:00:00Z", ""}) {
            assertNull(CanonicalInstants.parse(text), text);
        }
    }

    /** Whole seconds, milliseconds, microseconds and nanoseconds in turn: every precision Instant.toString writes. */
    private static int nanos(Random random, int i) {
        return switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
    }
}
