package io.hexbus.api.event;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventIdsTest {

    @Test
    void idsAreVersion7WithTheRfcVariantAndTheClocksMillis() {
        Instant at = Instant.parse("2026-11-23T10:00:00.123Z");
        UUID id = new EventIds(Clock.fixed(at, ZoneOffset.UTC)).next();

        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals(at.toEpochMilli(), EventIds.timestampOf(id));
    }

    @Test
    void idsSortByCreationTime() {
        UUID earlier = new EventIds(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)).next();
        UUID later = new EventIds(Clock.fixed(Instant.parse("2026-01-01T00:00:00.001Z"), ZoneOffset.UTC)).next();

        assertTrue(earlier.toString().compareTo(later.toString()) < 0);
    }

    @Test
    void idsOfOneMillisecondDiffer() {
        EventIds ids = new EventIds(Clock.fixed(Instant.now(), ZoneOffset.UTC));
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            seen.add(ids.next());
        }
        assertEquals(100_000, seen.size());
    }

    @Test
    void aTimestampIsReadOnlyFromVersion7() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> EventIds.timestampOf(UUID.fromString("123e4567-e89b-42d3-a456-426614174000")));
        assertEquals("UUID 123e4567-e89b-42d3-a456-426614174000 is version 4, not 7", thrown.getMessage());
    }
}
