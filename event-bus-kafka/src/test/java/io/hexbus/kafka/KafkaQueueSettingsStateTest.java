package io.hexbus.kafka;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state components of {@link KafkaQueueSettings}: the dedupe window, the bound of ids, the state topic. */
class KafkaQueueSettingsStateTest {

    private final KafkaQueueSettings defaults = KafkaQueueSettings.defaults("billing");

    @Test
    void theStateTopicIsNamedAfterThePrefixAndTheGroupAndIdsAreKeptADayAMillionAPartition() {
        assertEquals("hexbus.domain-events.billing.state", defaults.stateTopic());
        assertEquals("p.g.state", defaults.withTopicPrefix("p").withGroup("g").stateTopic());
        assertEquals(Duration.ofHours(24), defaults.dedupeWindow());
        assertEquals(1_000_000, defaults.maxRememberedIds());
    }

    @Test
    void everyWitherKeepsTheStateComponentsAndTheirWithersKeepTheOthers() {
        KafkaQueueSettings settings = defaults.withDedupeWindow(Duration.ofHours(2)).withMaxRememberedIds(5)
                .withTopicPrefix("p").withGroup("g").withPartitions(2).withReplication(1, 1)
                .withRetention(Duration.ofDays(1)).withCommandTimeout(Duration.ofSeconds(3))
                .withDeadLetterRetention(Duration.ofHours(5));

        assertEquals(Duration.ofHours(2), settings.dedupeWindow());
        assertEquals(5, settings.maxRememberedIds());

        KafkaQueueSettings again = settings.withDedupeWindow(Duration.ofMinutes(1)).withMaxRememberedIds(7);
        assertEquals(new KafkaQueueSettings("p", "g", 2, (short) 1, 1, Duration.ofDays(1), Duration.ofSeconds(3),
                Duration.ofHours(5), Duration.ofMinutes(1), 7, 4), again);
    }

    @Test
    void theWindowMayBeLongerOrShorterThanTheEventsRetention() {
        KafkaQueueSettings longer = defaults.withRetention(Duration.ofHours(1)).withDedupeWindow(Duration.ofDays(30));
        KafkaQueueSettings shorter = defaults.withRetention(Duration.ofDays(30)).withDedupeWindow(Duration.ofHours(1));

        assertEquals(Duration.ofDays(30), longer.dedupeWindow());
        assertEquals(Duration.ofHours(1), shorter.dedupeWindow());
        assertEquals(Duration.ofMinutes(5), defaults.withRetention(Duration.ofMinutes(5)).retention(),
                "a short retention needs no shorter window first");
    }

    @Test
    void aWindowThatIsNotPositiveAndABoundOutOfRangeAreRefused() {
        assertThrows(NullPointerException.class, () -> defaults.withDedupeWindow(null));
        assertThrows(IllegalArgumentException.class, () -> defaults.withDedupeWindow(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> defaults.withDedupeWindow(Duration.ofSeconds(-1)));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> defaults.withMaxRememberedIds(0));
        assertTrue(none.getMessage().contains("maxRememberedIds"), none.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> defaults.withMaxRememberedIds(KafkaQueueSettings.MAX_REMEMBERED_IDS + 1));
        assertEquals(KafkaQueueSettings.MAX_REMEMBERED_IDS,
                defaults.withMaxRememberedIds(KafkaQueueSettings.MAX_REMEMBERED_IDS).maxRememberedIds());
    }
}
