package io.hexbus.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A typo in a name is never silent: the decision is a pure function of the known names and the given ones. */
class ConfigKeysTest {

    @Test
    void theDistanceCountsEditsAndSwapsOfNeighboursIgnoringCase() {
        assertEquals(0, ConfigKeys.distance("USE_QUEUE_EVENT_BUS", "use_queue_event_bus"));
        assertEquals(1, ConfigKeys.distance("USE_QUEUE_EVENT_BUS", "USE_QUEUE_EVENTBUS"));
        assertEquals(1, ConfigKeys.distance("USE_QUEUE_EVENT_BUS", "USE_QUEUE_EVENT_BUSS"));
        assertEquals(1, ConfigKeys.distance("MAIL_FROM", "MAIL_FORM"));
        assertEquals(2, ConfigKeys.distance("REDIS_URL", "REDIS_URI_"));
        assertEquals(8, ConfigKeys.distance("REDIS_DB", ""));
    }

    @Test
    void theNearestKnownNameIsTheOneAtTheSmallestDistance() {
        assertEquals(Optional.of("USE_QUEUE_EVENT_BUS"), ConfigKeys.nearest(ConfigKeys.KNOWN, "USE_QUEUE_EVENTBUS"));
        assertEquals(Optional.of("HEXBUS_MODE"), ConfigKeys.nearest(ConfigKeys.KNOWN, "HEXBUS_MDOE"));
        assertEquals(Optional.of("REDIS_PASSWORD"), ConfigKeys.nearest(ConfigKeys.KNOWN, "REDIS_PASWORD"));
        assertEquals(Optional.empty(), ConfigKeys.nearest(Set.of(), "ANY"));
        assertEquals(Optional.empty(), ConfigKeys.nearest(ConfigKeys.KNOWN, "X".repeat(ConfigKeys.LONGEST + 1)));
    }

    @Test
    void anEnvironmentVariableThatLooksMeantForTheAppIsWarnedAboutOneLineEach() {
        List<String> warnings = ConfigKeys.environmentWarnings(ConfigKeys.KNOWN, List.of("PATH", "HOME", "JAVA_HOME",
                "HOSTNAME", "TERM", "USE_QUEUE_EVENTBUS", "HEXBUS_MODE", "REDIS_URL", "HEXBUS_THREAD_POOL", "MAIL_FORM",
                "use_queue_event_bus", "HTTP_PROXY", "REDIS_SERVICE_HOST", "REDIS_SERVICE_PORT",
                "REDIS_PORT_6379_TCP_ADDR", "SMTP_PASS", "HEXBUSMODE"));

        assertEquals(List.of(
                "Environment variable HEXBUSMODE is not one this app reads, so it is ignored: did you mean HEXBUS_MODE?",
                "Environment variable HEXBUS_THREAD_POOL is not one this app reads, so it is ignored (see docs/running.md"
                        + " for the names)",
                "Environment variable MAIL_FORM is not one this app reads, so it is ignored: did you mean MAIL_FROM?",
                "Environment variable SMTP_PASS is not one this app reads, so it is ignored (see docs/running.md for"
                        + " the names)",
                "Environment variable USE_QUEUE_EVENTBUS is not one this app reads, so it is ignored: did you mean"
                        + " USE_QUEUE_EVENT_BUS?",
                "Environment variable use_queue_event_bus is not one this app reads, so it is ignored: did you mean"
                        + " USE_QUEUE_EVENT_BUS?"), warnings);
    }

    @Test
    void noWarningWhenEveryVariableIsKnownOrUnrelated() {
        assertEquals(List.of(), ConfigKeys.environmentWarnings(ConfigKeys.KNOWN, List.of("PATH", "LANG", "USER",
                "SHELL", "HEXBUS_CONFIG_FILE", "HTTP_PORT", "SMTP_TLS", "REDIS_DB")));
    }

    @Test
    void anUnknownKeyOfTheFileIsNamedWithTheNearestKnownOne() {
        assertEquals(Optional.of("an unknown key USE_QUEUE_EVENT_BUSS (nearest known key: USE_QUEUE_EVENT_BUS)"),
                ConfigKeys.unknownFileKeys(ConfigKeys.KNOWN, List.of("USE_QUEUE_EVENT_BUSS", "HEXBUS_MODE")));
        assertEquals(Optional.of("unknown keys HEXBUS_MDOE (nearest known key: HEXBUS_MODE), redis.url (nearest"
                        + " known key: REDIS_URL)"),
                ConfigKeys.unknownFileKeys(ConfigKeys.KNOWN, List.of("redis.url", "HEXBUS_MDOE", "REDIS_HOST")));
        assertEquals(Optional.empty(), ConfigKeys.unknownFileKeys(ConfigKeys.KNOWN, List.of("REDIS_URL", "SMTP_HOST")));
    }

    @Test
    void aKeyNotMeantForThisAppIsNotQuotedSinceItCouldBeAPasswordOnALineOfItsOwn() {
        for (String secret : List.of("s3cr3t!pa55", "hunter2", "CorrectHorseBatteryStaple")) {
            String message = ConfigKeys.unknownFileKeys(ConfigKeys.KNOWN, List.of(secret)).orElseThrow();

            assertEquals("an unknown key " + ConfigKeys.HIDDEN_KEY, message);
        }
        assertEquals(Optional.of("an unknown key HEXBUS_THREAD_POOL"),
                ConfigKeys.unknownFileKeys(ConfigKeys.KNOWN, List.of("HEXBUS_THREAD_POOL")), "one of our prefixes is shown");
    }

    @Test
    void everyVariableNamedByAConstantIsKnownSoThatAddingOneCannotMakeItsOwnFileKeyUnknown() throws Exception {
        for (Class<?> holder : List.of(AppConfig.class, TransportChoice.class, QueueChoice.class, Mode.class,
                io.hexbus.adapters.guice.RedisTransportSettings.class,
                io.hexbus.adapters.guice.KafkaTransportSettings.class, io.hexbus.kafka.KafkaConnectionSettings.class,
                io.hexbus.adapters.guice.RabbitTransportSettings.class,
                io.hexbus.rabbitmq.RabbitConnectionSettings.class,
                io.hexbus.adapters.http.HttpSettings.class, io.hexbus.adapters.mail.SmtpSettings.class)) {
            for (java.lang.reflect.Field field : holder.getDeclaredFields()) {
                if (field.getType() == String.class && java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    field.setAccessible(true);
                    String value = (String) field.get(null);
                    if (value.matches("[A-Z][A-Z0-9]*_[A-Z0-9_]+")) {
                        assertTrue(ConfigKeys.KNOWN.contains(value), () -> holder.getSimpleName() + "." + field.getName()
                                + " = " + value + " is missing from ConfigKeys.KNOWN");
                    }
                }
            }
        }
    }

    @Test
    void everyKnownNameIsDocumentedInRunningMd() throws IOException {
        String running = Files.readString(Path.of("..", "docs", "running.md"));

        for (String name : ConfigKeys.KNOWN) {
            assertTrue(running.contains("`" + name + "`"), () -> name + " is missing from docs/running.md");
        }
    }
}
