package io.hexbus.api.scheduling;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TickIdsTest {

    private static final Instant NINE = Instant.parse("2026-12-04T09:00:00Z");

    @Test
    void sameNameAndTickGiveTheSameId() {
        assertEquals(TickIds.of("invoicing.reminders", NINE), TickIds.of("invoicing.reminders", NINE));
        assertEquals(TickIds.of("a", NINE), Tick.of("a", NINE).eventId());
    }

    @Test
    void anotherNameOrTickGivesAnotherId() {
        UUID id = TickIds.of("invoicing.reminders", NINE);
        assertNotEquals(id, TickIds.of("invoicing.reminder", NINE));
        assertNotEquals(id, TickIds.of("invoicing.reminders", NINE.plusMillis(1)));
        // The separator keeps "ab" + tick apart from "a" + a tick whose bytes start with "b".
        assertNotEquals(TickIds.of("ab", NINE), TickIds.of("a", NINE));
    }

    @Test
    void isVersion8WithTheRfcVariantAndTheTickMillisOnTop() {
        UUID id = TickIds.of("invoicing.reminders", NINE);
        assertEquals(8, id.version());
        assertEquals(2, id.variant());
        assertEquals(NINE.toEpochMilli(), id.getMostSignificantBits() >>> 16);
    }

    @Test
    void idsSortByTickTime() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(TickIds.of("s" + (i % 7), NINE.plusSeconds(i)));
        }
        for (int i = 1; i < ids.size(); i++) {
            // UUID.compareTo compares signed longs; these tick times are all positive and below 2^47 ms.
            assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, "id " + i + " sorts after id " + (i - 1));
        }
    }
}
