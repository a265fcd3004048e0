package io.hexbus.rabbitmq;

import io.hexbus.engine.worker.EngineSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue's and the workers' settings: defaults, bounds with clear messages, the checks between them. */
class RabbitQueueSettingsTest {

    @Test
    void theDefaultsAreTheDesigns() {
        RabbitQueueSettings settings = RabbitQueueSettings.defaults("billing");

        assertEquals(new RabbitNames("hexbus", "billing"), settings.names());
        assertEquals(Duration.ofHours(24), settings.dedupeWindow());
        assertEquals(1_000_000, settings.maxRememberedIds());
        assertEquals(Duration.ofDays(7), settings.deadLetterRetention());
        assertEquals(Duration.ofSeconds(5), settings.commandTimeout());
        assertEquals(20, settings.deliveryLimit());
        assertEquals(Duration.ofHours(1), settings.statsRetention());
        assertEquals("orders", settings.withPrefix("orders").names().prefix());
    }

    @Test
    void eachKnobOutOfBoundsIsRefusedByName() {
        RabbitQueueSettings settings = RabbitQueueSettings.defaults("billing");

        assertRefused("group must be", () -> settings.withGroup("bad group"));
        assertRefused("prefix must be", () -> settings.withPrefix(".x"));
        assertRefused("dedupeWindow must be positive", () -> settings.withDedupeWindow(Duration.ZERO));
        assertRefused("maxRememberedIds must be 1 to 268435456", () -> settings.withMaxRememberedIds(0));
        assertRefused("maxRememberedIds must be 1 to 268435456",
                () -> settings.withMaxRememberedIds(RabbitQueueSettings.MAX_REMEMBERED_IDS + 1));
        assertRefused("deadLetterRetention must be positive",
                () -> settings.withDeadLetterRetention(Duration.ofDays(-1)));
        assertRefused("commandTimeout must be positive", () -> settings.withCommandTimeout(Duration.ofMillis(-1)));
        assertRefused("deliveryLimit must be at least 1", () -> settings.withDeliveryLimit(0));
        assertRefused("statsRetention must be positive", () -> settings.withStatsRetention(Duration.ZERO));
        assertRefused("statsRetention must be at least PT30M (departed workers' counters are checkpointed within 15"
                + " minutes), got PT10M", () -> settings.withStatsRetention(Duration.ofMinutes(10)));
    }

    @Test
    void thePrefetchIsTheHandlerSlotsPlusTheReadAhead() {
        RabbitWorkerSettings worker = RabbitWorkerSettings.defaults()
                .withEngine(EngineSettings.defaults().withConcurrency(6)).withReadAhead(3);

        assertEquals(9, worker.prefetch());
        assertEquals(Duration.ofMinutes(30), RabbitWorkerSettings.defaults().consumerTimeout());
        assertRefused("readAhead must be 0 or more", () -> worker.withReadAhead(-1));
        assertRefused("at most 65535", () -> worker.withReadAhead(65_530));
        assertRefused("consumerTimeout must be positive", () -> worker.withConsumerTimeout(Duration.ZERO));
    }

    @Test
    void aHandlerTimeoutAtOrAboveTheConsumerTimeoutIsRefusedSayingWhy() {
        RabbitWorkerSettings worker = RabbitWorkerSettings.defaults().withConsumerTimeout(Duration.ofMinutes(10));

        assertDoesNotThrow(() -> worker.checkHandlerTimeout("subscription 'invoice'", Duration.ofMinutes(9)));
        assertRefused("the handler timeout of subscription 'invoice' is PT10M, not below the RabbitMQ consumer timeout"
                + " of PT10M: a handler still running then would have its message redelivered to another worker",
                () -> worker.checkHandlerTimeout("subscription 'invoice'", Duration.ofMinutes(10)));
    }

    @Test
    void theDeliveryLimitMustBeAboveTheEnginesTakeovers() {
        RabbitWorkerSettings worker = RabbitWorkerSettings.defaults()
                .withEngine(EngineSettings.defaults().withMaxTakeovers(5));

        assertDoesNotThrow(() -> worker.check(RabbitQueueSettings.defaults("billing")));
        assertRefused("deliveryLimit 5 must be above the engine's maxTakeovers 5",
                () -> worker.check(RabbitQueueSettings.defaults("billing").withDeliveryLimit(5)));
    }

    @Test
    void theConsumerTimeoutIsAskedForFromRabbitMq312On() {
        RabbitWorkerSettings worker = RabbitWorkerSettings.defaults().withConsumerTimeout(Duration.ofMinutes(5));

        assertEquals(Map.of(), worker.consumerArguments("3.10.8"));
        assertEquals(Map.of(), worker.consumerArguments("3.11.28"));
        assertEquals(Map.of(), worker.consumerArguments(""));
        assertEquals(Map.of("x-consumer-timeout", 300_000L), worker.consumerArguments("3.12.0"));
        assertEquals(Map.of("x-consumer-timeout", 300_000L), worker.consumerArguments("4.0.5"));
        assertEquals(Map.of("x-consumer-timeout", 300_000L), worker.consumerArguments("3.13.7+1.g1234"));
    }

    private static void assertRefused(String expected, Runnable change) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, change::run);
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }
}
