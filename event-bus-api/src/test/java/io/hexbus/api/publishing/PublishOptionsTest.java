package io.hexbus.api.publishing;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishOptionsTest {

    private static final Instant NOON = Instant.parse("2026-06-01T12:00:00Z");

    record Pinged(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    @Test
    void nowAZeroDelayAndAnInstantNotAfterTheClockAreImmediate() {
        assertTrue(PublishOptions.NOW.isImmediateAt(NOON));
        assertTrue(PublishOptions.deliverAfter(Duration.ZERO).isImmediateAt(NOON));
        assertTrue(PublishOptions.deliverAt(NOON).isImmediateAt(NOON));
        assertTrue(PublishOptions.deliverAt(NOON.minusSeconds(1)).isImmediateAt(NOON));
        assertTrue(PublishOptions.deliverAt(Instant.now().minusSeconds(60)).isImmediate());

        assertFalse(PublishOptions.deliverAt(NOON.plusMillis(1)).isImmediateAt(NOON));
        assertFalse(PublishOptions.deliverAfter(Duration.ofMillis(1)).isImmediateAt(NOON));
        assertFalse(PublishOptions.deliverAfter(Duration.ofMillis(1)).isImmediate());
    }

    @Test
    void aNegativeDelayBothSetAndNullsAreRefused() {
        assertEquals("deliverAfter must not be negative, got PT-1S", assertThrows(IllegalArgumentException.class,
                () -> PublishOptions.deliverAfter(Duration.ofSeconds(-1))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PublishOptions(NOON, Duration.ofSeconds(1)));
        assertThrows(NullPointerException.class, () -> PublishOptions.deliverAt(null));
        assertThrows(NullPointerException.class, () -> PublishOptions.deliverAfter(null));
        assertEquals(PublishOptions.NOW, new PublishOptions(null, null));
    }

    @Test
    void byDefaultABusDelegatesImmediateOptionsAndRefusesDelayedOnesNamingItself() {
        List<DomainEvent> published = new ArrayList<>();
        EventBus bus = events -> {
            published.addAll(events);
            return events.stream().map(e -> PublishOutcome.PUBLISHED).toList();
        };
        Pinged event = new Pinged(EventIds.newId(), NOON);

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(event, PublishOptions.NOW));
        DelayedDeliveryUnsupportedException refused = assertThrows(DelayedDeliveryUnsupportedException.class,
                () -> bus.publish(event, PublishOptions.deliverAfter(Duration.ofSeconds(1))));

        assertEquals(List.of(event), published, "the delayed one was not published");
        assertTrue(refused.getMessage().startsWith(bus.getClass().getName() + " cannot deliver events later"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("Redis, in memory"), refused.getMessage());
        assertThrows(NullPointerException.class, () -> bus.publish(event, null));
    }
}
