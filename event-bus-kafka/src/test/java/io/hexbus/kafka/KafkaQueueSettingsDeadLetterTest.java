package io.hexbus.kafka;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dead-letter components of {@link KafkaQueueSettings}. */
class KafkaQueueSettingsDeadLetterTest {

    @Test
    void theDeadLetterTopicIsNamedAfterThePrefixAndTheGroupAndKeptSevenDaysByDefault() {
        KafkaQueueSettings settings = KafkaQueueSettings.defaults("billing");

        assertEquals("hexbus.domain-events.billing.dead", settings.deadLetterTopic());
        assertEquals(Duration.ofDays(7), settings.deadLetterRetention());
        assertEquals("p.billing.dead", settings.withTopicPrefix("p").deadLetterTopic());
    }

    @Test
    void everyWitherKeepsTheDeadLetterRetention() {
        KafkaQueueSettings settings = KafkaQueueSettings.defaults("billing").withDeadLetterRetention(Duration.ofHours(5))
                .withTopicPrefix("p").withGroup("g").withPartitions(2).withReplication(1, 1)
                .withRetention(Duration.ofDays(1)).withCommandTimeout(Duration.ofSeconds(3));

        assertEquals(Duration.ofHours(5), settings.deadLetterRetention());
        assertEquals(Duration.ofSeconds(3), settings.commandTimeout());
    }

    @Test
    void aRetentionThatIsNotPositiveOrNamesTooLongForKafkaAreRefused() {
        KafkaQueueSettings settings = KafkaQueueSettings.defaults("billing");

        assertThrows(NullPointerException.class, () -> settings.withDeadLetterRetention(null));
        assertThrows(IllegalArgumentException.class, () -> settings.withDeadLetterRetention(Duration.ZERO));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> settings.withTopicPrefix("p".repeat(150)).withGroup("g".repeat(100)));
        assertTrue(tooLong.getMessage().contains("250 characters"), tooLong.getMessage());
    }
}
