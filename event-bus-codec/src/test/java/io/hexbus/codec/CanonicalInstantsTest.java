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
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertEquals(instant, CanonicalInstants.parse(instant.toString()), instant::toString);
        }
    }

    @Test
    void leavesEveryOtherFormToTheFullParser() {
        for (String text : new String[] {"2025-01-31T12:00:00+01:00", "2025-01-31T12:00Z", "2025-13-01T00:00:00Z",
                "2025-02-30T00:00:00Z", "2025-01-31 12:00:00Z", "2025-01-31T12:00:00.1Z", "+12025-01-31T12:00:00Z",
                "2025-01-3aT12:00:00Z", "2025-01-31T24:00:00Z", ""}) {
            assertNull(CanonicalInstants.parse(text), text);
        }
    }
}
