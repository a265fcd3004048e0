package io.hexbus.redis;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The defaults of the design brief, and every setting checked with a message naming it. */
class RedisQueueSettingsTest {

    private static final RedisQueueSettings DEFAULTS = RedisQueueSettings.defaults("billing-service");

    private static String refusal(Function<RedisQueueSettings, RedisQueueSettings> change) {
        return assertThrows(IllegalArgumentException.class, () -> change.apply(DEFAULTS)).getMessage();
    }

    /** A copy of the defaults with one component replaced, through the canonical constructor. */
    private static RedisQueueSettings with(int index, Object value) {
        Object[] c = {DEFAULTS.keyPrefix(), DEFAULTS.group(), DEFAULTS.concurrency(), DEFAULTS.batchSize(),
                DEFAULTS.blockTimeout(), DEFAULTS.pollInterval(), DEFAULTS.visibilityTimeout(),
                DEFAULTS.dedupeWindow(), DEFAULTS.newerVersionDelay(), DEFAULTS.newerVersionMaxWait(), DEFAULTS.keepFinishedCount(),
                DEFAULTS.keepFinishedAge(), DEFAULTS.deadLetterRetention(), DEFAULTS.shutdownDeadline(),
                DEFAULTS.commandTimeout(), DEFAULTS.maintenanceInterval(), DEFAULTS.maxTakeovers(), DEFAULTS.routes()};
        c[index] = value;
        return new RedisQueueSettings((String) c[0], (String) c[1], (int) c[2], (int) c[3], (Duration) c[4],
                (Duration) c[5], (Duration) c[6], (Duration) c[7], (Duration) c[8], (Duration) c[9], (int) c[10],
                (Duration) c[11], (Duration) c[12], (Duration) c[13], (Duration) c[14], (Duration) c[15], (int) c[16],
                (java.util.Map<String, String>) c[17]);
    }

    private static String refusal(int index, Object value) {
        return assertThrows(IllegalArgumentException.class, () -> with(index, value)).getMessage();
    }

    @Test
    void theDefaultsAreThoseOfTheDesignBrief() {
        assertEquals("hexbus:{domain-events}", DEFAULTS.keyPrefix());
        assertEquals(RedisQueueSettings.DEFAULT_PREFIX, DEFAULTS.keyPrefix());
        assertEquals("billing-service", DEFAULTS.group());
        assertEquals(Duration.ofSeconds(30), DEFAULTS.visibilityTimeout());
        assertEquals(Duration.ofDays(7), DEFAULTS.dedupeWindow());
        assertEquals(Duration.ofSeconds(30), DEFAULTS.newerVersionDelay());
        assertEquals(Duration.ofHours(24), DEFAULTS.newerVersionMaxWait());
        assertEquals(1_000, DEFAULTS.keepFinishedCount());
        assertEquals(Duration.ofHours(24), DEFAULTS.keepFinishedAge());
        assertEquals(Duration.ofDays(7), DEFAULTS.deadLetterRetention());
        assertEquals(Duration.ofSeconds(30), DEFAULTS.shutdownDeadline());
    }

    @Test
    void theOtherDefaultsAreAsDocumented() {
        assertEquals(4, DEFAULTS.concurrency());
        assertEquals(64, DEFAULTS.batchSize());
        assertEquals(Duration.ofMillis(500), DEFAULTS.blockTimeout());
        assertEquals(Duration.ofMillis(100), DEFAULTS.pollInterval());
        assertEquals(Duration.ofSeconds(2), DEFAULTS.commandTimeout());
        assertEquals(Duration.ofSeconds(10), DEFAULTS.maintenanceInterval());
        assertEquals(5, DEFAULTS.maxTakeovers());
    }

    @Test
    void theWithersChangeOneSettingEach() {
        RedisQueueSettings changed = DEFAULTS.withKeyPrefix("orders:{bus}").withGroup("shipping")
                .withConcurrency(8).withVisibilityTimeout(Duration.ofSeconds(5))
                .withShutdownDeadline(Duration.ofSeconds(3)).withKeepFinished(10, Duration.ofMinutes(1))
                .withNewerVersionDelay(Duration.ofMinutes(2)).withNewerVersionMaxWait(Duration.ofHours(3))
                .withBatchSize(16).withBlockTimeout(Duration.ofMillis(250)).withPollInterval(Duration.ofMillis(50))
                .withCommandTimeout(Duration.ofMillis(700))
                .withMaintenanceInterval(Duration.ofSeconds(1)).withDeadLetterRetention(Duration.ofHours(1))
                .withMaxTakeovers(2);

        assertEquals(new RedisQueueSettings("orders:{bus}", "shipping", 8, 16, Duration.ofMillis(250),
                Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofDays(7), Duration.ofMinutes(2), Duration.ofHours(3), 10, Duration.ofMinutes(1),
                Duration.ofHours(1), Duration.ofSeconds(3), Duration.ofMillis(700), Duration.ofSeconds(1), 2,
                java.util.Map.of()), changed);
    }

    @Test
    void aPrefixWithOneHashTagAnywhereIsAccepted() {
        for (String prefix : List.of("{bus}", "app:{bus}", "{bus}:events", "a:{b-c.d}:e")) {
            assertEquals(prefix, DEFAULTS.withKeyPrefix(prefix).keyPrefix());
        }
    }

    @Test
    void aPrefixWithoutExactlyOneHashTagIsRefused() {
        for (String prefix : List.of("hexbus:domain-events", "", "a:{}", "a:{x}:{y}", "a:{{x}}", "a:}x{", "a:{x",
                "a:x}")) {
            assertEquals("keyPrefix '" + prefix + "' must hold exactly one hash tag, like hexbus:{domain-events}",
                    refusal(s -> s.withKeyPrefix(prefix)), prefix);
        }
    }

    @Test
    void aBadGroupNameIsRefused() {
        for (String group : List.of("", "has space", "a:b", "{tag}", "x".repeat(101), "ünïcode")) {
            assertEquals("group '" + group + "' must be 1-100 letters, digits, '.', '_' or '-'",
                    refusal(s -> s.withGroup(group)), group);
        }
        assertEquals("x".repeat(100), DEFAULTS.withGroup("x".repeat(100)).group());
        assertEquals("Billing_service-2.eu", DEFAULTS.withGroup("Billing_service-2.eu").group());
    }

    @Test
    void nullsAreRefusedNamingTheSetting() {
        assertEquals("keyPrefix", assertThrows(NullPointerException.class, () -> with(0, null)).getMessage());
        assertEquals("group", assertThrows(NullPointerException.class, () -> with(1, null)).getMessage());
        assertEquals("visibilityTimeout", assertThrows(NullPointerException.class, () -> with(6, null)).getMessage());
    }

    @Test
    void nonPositiveCountsAreRefusedNamingTheSetting() {
        assertEquals("concurrency must be at least 1, got 0", refusal(2, 0));
        assertEquals("batchSize must be at least 1, got -1", refusal(3, -1));
        assertEquals("keepFinishedCount must be at least 1, got 0", refusal(10, 0));
        assertEquals("maxTakeovers must be at least 1, got 0", refusal(s -> s.withMaxTakeovers(0)));
    }

    @Test
    void nonPositiveDurationsAreRefusedNamingTheSetting() {
        String[] names = {"blockTimeout", "pollInterval", "visibilityTimeout", "dedupeWindow", "newerVersionDelay",
                "newerVersionMaxWait", null, "keepFinishedAge", "deadLetterRetention", "shutdownDeadline", "commandTimeout", "maintenanceInterval"};
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) {
                continue;
            }
            int index = i + 4;
            assertEquals(names[i] + " must be positive, got PT0S", refusal(index, Duration.ZERO));
            assertEquals(names[i] + " must be positive, got PT-1S", refusal(index, Duration.ofSeconds(-1)));
        }
    }

    @Test
    void aDedupeWindowShorterThanTheRetentionOfFinishedEventsIsRefused() {
        assertEquals("dedupeWindow PT1H is shorter than keepFinishedAge PT24H: an id must be remembered longer than"
                + " its event is kept", refusal(7, Duration.ofHours(1)));
        assertEquals("dedupeWindow PT168H is shorter than keepFinishedAge PT192H: an id must be remembered longer"
                + " than its event is kept", refusal(s -> s.withKeepFinished(1_000, Duration.ofDays(8))));
    }

    @Test
    void aDedupeWindowAsLongAsTheRetentionIsAccepted() {
        assertEquals(Duration.ofDays(7), DEFAULTS.withKeepFinished(1_000, Duration.ofDays(7)).keepFinishedAge());
    }
}
