package io.hexbus.app;

import io.hexbus.adapters.http.HttpSettings;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.inmemory.InMemoryEventBusSettings;
import io.hexbus.kafka.KafkaConnectionSettings;
import io.hexbus.kafka.KafkaQueueSettings;
import io.hexbus.rabbitmq.RabbitConnectionSettings;
import io.hexbus.rabbitmq.RabbitQueueSettings;
import io.hexbus.redis.RedisQueueSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppConfigTest {

    private static String refused(Map<String, String> environment) {
        return assertThrows(IllegalArgumentException.class, () -> AppConfig.from(environment)).getMessage();
    }

    @Test
    void withNothingSetItRunsEverythingInMemoryWithTheDocumentedDefaults() {
        AppConfig config = AppConfig.from(Map.of());

        assertEquals(TransportChoice.IN_MEMORY, config.transport());
        assertEquals(Mode.ALL, config.mode());
        assertEquals("redis://localhost:6379/0", config.redis().connection().describe());
        assertEquals("hexbus-sample", config.redis().queue().group());
        assertEquals(RedisQueueSettings.DEFAULT_PREFIX, config.redis().queue().keyPrefix());
        assertEquals(4, config.redis().queue().concurrency());
        assertEquals(Duration.ofSeconds(30), config.redis().queue().shutdownDeadline());
        assertEquals(RetryPolicy.DEFAULT, config.subscriptions().defaultRetryPolicy());
        assertEquals(Set.of(), config.subscriptions().disabled());
        assertTrue(config.smtp().isEmpty());
        assertEquals("environment", config.source());
    }

    @Test
    void readsEveryVariable() {
        AppConfig config = AppConfig.from(Map.ofEntries(Map.entry("USE_QUEUE_EVENT_BUS", "true"),
                Map.entry("HEXBUS_MODE", "Worker"), Map.entry("REDIS_HOST", "redis.internal"),
                Map.entry("REDIS_PORT", "6380"), Map.entry("REDIS_DB", "2"), Map.entry("HEXBUS_QUEUE_GROUP", "billing"),
                Map.entry("HEXBUS_KEY_PREFIX", "billing:{events}"), Map.entry("HEXBUS_WORKER_CONCURRENCY", "8"),
                Map.entry("HEXBUS_SHUTDOWN_DEADLINE_SECONDS", "5"), Map.entry("HEXBUS_RETRY_MAX", "5"),
                Map.entry("HEXBUS_RETRY_BACKOFF_MS", "250"),
                Map.entry("HEXBUS_DISABLED_SUBSCRIPTIONS", " a.one , ,b.two")));

        assertEquals(TransportChoice.QUEUE, config.transport());
        assertEquals(Mode.WORKER, config.mode());
        assertEquals("redis://redis.internal:6380/2", config.redis().connection().describe());
        assertEquals("billing", config.redis().queue().group());
        assertEquals("billing:{events}", config.redis().queue().keyPrefix());
        assertEquals(8, config.redis().queue().concurrency());
        assertEquals(Duration.ofSeconds(5), config.redis().queue().shutdownDeadline());
        assertEquals(RetryPolicy.exponential(5, Duration.ofMillis(250)), config.subscriptions().defaultRetryPolicy());
        assertEquals(Set.of("a.one", "b.two"), config.subscriptions().disabled());
    }

    @Test
    void hexbusTransportNamesTheQueueRedisByDefaultOrNoneInAnyCase() {
        assertEquals(QueueChoice.REDIS, AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true")).queue());
        assertEquals(QueueChoice.REDIS, AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true",
                "HEXBUS_TRANSPORT", " Redis ")).queue());
        AppConfig none = AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "NONE"));
        assertEquals(QueueChoice.NONE, none.queue());
        assertEquals(TransportChoice.QUEUE, none.transport());
        assertTrue(none.describeTransport().startsWith("none (USE_QUEUE_EVENT_BUS=true, HEXBUS_TRANSPORT=none)"),
                none::describeTransport);
        assertEquals(QueueChoice.REDIS, AppConfig.from(Map.of()).queue(), "unused in memory, and never null");
    }

    @Test
    void anUnknownTransportNameIsRefusedNamingTheAllowedOnes() {
        assertEquals("HEXBUS_TRANSPORT='activemq' is not allowed: use redis (the Redis queue, the default), kafka (the"
                + " Kafka queue), rabbitmq (the RabbitMQ queue) or none (accept and count events, deliver none); it"
                + " names the queue of USE_QUEUE_EVENT_BUS=true",
                refused(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "activemq")));
    }

    @Test
    void kafkaIsAQueueWithTheDocumentedDefaults() {
        AppConfig config = AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", " Kafka "));

        assertEquals(QueueChoice.KAFKA, config.queue());
        assertEquals(List.of("localhost:9092"), config.kafka().connection().bootstrapServers());
        assertEquals(KafkaConnectionSettings.SecurityProtocol.PLAINTEXT,
                config.kafka().connection().securityProtocol());
        KafkaQueueSettings queue = config.kafka().queue();
        assertEquals(List.of("hexbus-sample", KafkaQueueSettings.DEFAULT_PREFIX, 8, (short) 3, 2,
                Duration.ofSeconds(10)), List.of(queue.group(), queue.topicPrefix(), queue.partitions(),
                queue.replicationFactor(), queue.minInsyncReplicas(), queue.commandTimeout()));
        assertEquals(4, config.kafka().workers().engine().concurrency());
        assertEquals(Duration.ofSeconds(30), config.kafka().workers().engine().shutdownDeadline());
        assertEquals("Kafka queue (USE_QUEUE_EVENT_BUS=true, HEXBUS_TRANSPORT=kafka) at localhost:9092 (PLAINTEXT),"
                + " group 'hexbus-sample', topic hexbus.domain-events.events (8 partitions, replication factor 3)",
                config.describeTransport());
        assertEquals("group 'hexbus-sample' (Kafka consumer group hexbus.domain-events.hexbus-sample)",
                config.describeQueue());
    }

    @Test
    void rabbitIsAQueueWithTheDocumentedDefaults() {
        AppConfig config = AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", " RabbitMQ "));

        assertEquals(QueueChoice.RABBITMQ, config.queue());
        RabbitConnectionSettings connection = config.rabbitmq().connection();
        assertEquals(List.of("localhost", 5672, false, "guest", "/"), List.of(connection.host(), connection.port(),
                connection.tls(), connection.username(), connection.virtualHost()));
        RabbitQueueSettings queue = config.rabbitmq().queue();
        assertEquals(List.of("hexbus-sample", RabbitQueueSettings.DEFAULT_PREFIX, Duration.ofSeconds(5)),
                List.of(queue.group(), queue.prefix(), queue.commandTimeout()));
        assertEquals(4, config.rabbitmq().workers().engine().concurrency());
        assertEquals(Duration.ofSeconds(30), config.rabbitmq().workers().engine().shutdownDeadline());
        assertEquals(Duration.ofMinutes(30), config.rabbitmq().workers().consumerTimeout());
        assertEquals("RabbitMQ queue (USE_QUEUE_EVENT_BUS=true, HEXBUS_TRANSPORT=rabbitmq) at"
                + " amqp://guest@localhost:5672 vhost /, group 'hexbus-sample', queue hexbus.hexbus-sample",
                config.describeTransport());
        assertEquals("group 'hexbus-sample' (RabbitMQ queue hexbus.hexbus-sample)", config.describeQueue());
    }

    @Test
    void readsEveryRabbitVariableAndDescribesTheConnectionWithoutItsPassword() {
        AppConfig config = AppConfig.from(Map.ofEntries(Map.entry("USE_QUEUE_EVENT_BUS", "true"),
                Map.entry("HEXBUS_TRANSPORT", "rabbitmq"), Map.entry("HEXBUS_QUEUE_GROUP", "billing"),
                Map.entry("RABBITMQ_URL", "amqp://ignored:ignored@rabbit-1.internal:5673/ignored"),
                Map.entry("RABBITMQ_USER", "billing-svc"), Map.entry("RABBITMQ_PASSWORD", "s3cr\"t; x=y"),
                Map.entry("RABBITMQ_VHOST", "acme"), Map.entry("HEXBUS_RABBITMQ_PREFIX", "acme.events"),
                Map.entry("HEXBUS_RABBITMQ_COMMAND_TIMEOUT_MS", "2500"),
                Map.entry("HEXBUS_RABBITMQ_CONSUMER_TIMEOUT_MS", "600000"),
                Map.entry("HEXBUS_WORKER_CONCURRENCY", "6"), Map.entry("HEXBUS_SHUTDOWN_DEADLINE_SECONDS", "5")));

        RabbitQueueSettings queue = config.rabbitmq().queue();
        assertEquals(List.of("billing", "acme.events", Duration.ofMillis(2500)), List.of(queue.group(),
                queue.prefix(), queue.commandTimeout()));
        assertEquals(6, config.rabbitmq().workers().engine().concurrency());
        assertEquals(Duration.ofSeconds(5), config.rabbitmq().workers().engine().shutdownDeadline());
        assertEquals(Duration.ofMinutes(10), config.rabbitmq().workers().consumerTimeout());
        assertEquals("s3cr\"t; x=y", config.rabbitmq().connection().password());
        String described = config.describeTransport() + " " + config + " " + config.rabbitmq();
        assertTrue(described.contains("amqp://billing-svc@rabbit-1.internal:5673 vhost acme, group 'billing',"
                + " queue acme.events.billing"), described);
        assertFalse(described.contains("s3cr"), described);
    }

    @Test
    void badRabbitValuesAreRefusedNamingTheVariableWhateverTheQueue() {
        assertTrue(refused(Map.of("HEXBUS_RABBITMQ_PREFIX", "a/b")).startsWith("HEXBUS_RABBITMQ_PREFIX='a/b' is not"
                + " allowed"));
        assertTrue(refused(Map.of("HEXBUS_RABBITMQ_COMMAND_TIMEOUT_MS", "10s"))
                .startsWith("HEXBUS_RABBITMQ_COMMAND_TIMEOUT_MS='10s' is not allowed"));
        assertTrue(refused(Map.of("HEXBUS_RABBITMQ_CONSUMER_TIMEOUT_MS", "0"))
                .startsWith("HEXBUS_RABBITMQ_CONSUMER_TIMEOUT_MS='0' is not allowed"));
        assertTrue(refused(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_QUEUE_GROUP", "bad group",
                "HEXBUS_TRANSPORT", "rabbitmq")).startsWith("HEXBUS_QUEUE_GROUP='bad group' is not allowed"));
        String noPassword = refused(Map.of("USE_QUEUE_EVENT_BUS", "true",
                "RABBITMQ_URL", "ftp://user:hunter2@rabbit"));
        assertTrue(noPassword.contains("RABBITMQ_URL"), "checked on the Redis queue too: " + noPassword);
        assertFalse(noPassword.contains("hunter2"), noPassword);
        assertTrue(refused(Map.of("RABBITMQ_TLS_TRUSTSTORE", "/etc/ssl/store.p12")).startsWith(
                "RABBITMQ_TLS_TRUSTSTORE is set but RABBITMQ_URL is amqp://"));
    }

    @Test
    void readsEveryKafkaVariableAndDescribesTheConnectionWithoutItsPassword() {
        AppConfig config = AppConfig.from(Map.ofEntries(Map.entry("USE_QUEUE_EVENT_BUS", "true"),
                Map.entry("HEXBUS_TRANSPORT", "kafka"), Map.entry("HEXBUS_QUEUE_GROUP", "billing"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9093,kafka-2:9093"),
                Map.entry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), Map.entry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
                Map.entry("KAFKA_SASL_USERNAME", "billing-svc"), Map.entry("KAFKA_SASL_PASSWORD", "s3cr\"t; x=y"),
                Map.entry("HEXBUS_KAFKA_TOPIC_PREFIX", "acme.events"), Map.entry("HEXBUS_KAFKA_PARTITIONS", "12"),
                Map.entry("HEXBUS_KAFKA_REPLICATION_FACTOR", "1"), Map.entry("HEXBUS_KAFKA_COMMAND_TIMEOUT_MS", "2500"),
                Map.entry("HEXBUS_WORKER_CONCURRENCY", "6"), Map.entry("HEXBUS_SHUTDOWN_DEADLINE_SECONDS", "5")));

        KafkaQueueSettings queue = config.kafka().queue();
        assertEquals(List.of("billing", "acme.events", 12, (short) 1, 1, Duration.ofMillis(2500)), List.of(
                queue.group(), queue.topicPrefix(), queue.partitions(), queue.replicationFactor(),
                queue.minInsyncReplicas(), queue.commandTimeout()), "min in-sync follows a factor of 1");
        assertEquals(6, config.kafka().workers().engine().concurrency());
        assertEquals(Duration.ofSeconds(5), config.kafka().workers().engine().shutdownDeadline());
        assertEquals("s3cr\"t; x=y", config.kafka().connection().sasl().orElseThrow().password());
        String described = config.describeTransport() + " " + config + " " + config.kafka();
        assertTrue(described.contains("kafka-1:9093,kafka-2:9093 (SASL_SSL, SASL SCRAM-SHA-512 as user"
                + " 'billing-svc'), group 'billing', topic acme.events.events (12 partitions, replication factor 1)"),
                described);
        assertFalse(described.contains("s3cr"), described);
    }

    @Test
    void badKafkaValuesAreRefusedNamingTheVariableWhateverTheQueue() {
        assertEquals("HEXBUS_KAFKA_PARTITIONS='0' is not allowed: use a whole number from 1 to 10000 (partitions of"
                + " the events topic, the most workers that share the group's work; default 8)",
                refused(Map.of("HEXBUS_KAFKA_PARTITIONS", "0")));
        assertEquals("HEXBUS_KAFKA_MIN_INSYNC_REPLICAS='3' is not allowed: use a whole number from 1 to 2 (replicas"
                + " that must have a write, at most HEXBUS_KAFKA_REPLICATION_FACTOR; default 2)",
                refused(Map.of("HEXBUS_KAFKA_REPLICATION_FACTOR", "2", "HEXBUS_KAFKA_MIN_INSYNC_REPLICAS", "3")));
        assertTrue(refused(Map.of("HEXBUS_KAFKA_TOPIC_PREFIX", "a/b")).startsWith("HEXBUS_KAFKA_TOPIC_PREFIX='a/b'"
                + " is not allowed: use 1 to 180 letters"));
        assertTrue(refused(Map.of("HEXBUS_KAFKA_COMMAND_TIMEOUT_MS", "10s"))
                .startsWith("HEXBUS_KAFKA_COMMAND_TIMEOUT_MS='10s' is not allowed"));
        assertTrue(refused(Map.of("USE_QUEUE_EVENT_BUS", "true", "KAFKA_BOOTSTRAP_SERVERS", "kafka"))
                .startsWith("KAFKA_BOOTSTRAP_SERVERS='kafka' is not allowed"), "checked on the Redis queue too");
        String noPassword = refused(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_USERNAME", "u"));
        assertEquals("KAFKA_SECURITY_PROTOCOL=SASL_SSL needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: set both"
                + " (KAFKA_SASL_PASSWORD is unset)", noPassword);
        assertTrue(refused(Map.of("KAFKA_SASL_PASSWORD", "hunter2")).startsWith("KAFKA_SASL_PASSWORD is set but"
                + " KAFKA_SECURITY_PROTOCOL is PLAINTEXT"));
    }

    @Test
    void aTransportNameWithoutTheQueueIsRefusedSinceInMemoryWouldDeliverEverything() {
        for (String value : List.of("none", "redis", "kafka", "rabbitmq")) {
            assertEquals("HEXBUS_TRANSPORT=" + value + " needs USE_QUEUE_EVENT_BUS=true: it names the queue, and in"
                    + " memory every handler runs in the publisher's thread; set USE_QUEUE_EVENT_BUS=true, or unset"
                    + " HEXBUS_TRANSPORT", refused(Map.of("HEXBUS_TRANSPORT", value)));
        }
        assertEquals(TransportChoice.IN_MEMORY, AppConfig.from(Map.of("HEXBUS_TRANSPORT", " ")).transport(),
                "a blank value is unset");
    }

    @Test
    void theRedisSettingsAreCheckedWhateverTheQueue() {
        assertTrue(refused(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "none",
                "HEXBUS_WORKER_CONCURRENCY", "0")).startsWith("HEXBUS_WORKER_CONCURRENCY='0' is not allowed"));
    }

    @Test
    void maybeIsNotABoolean() {
        assertEquals("USE_QUEUE_EVENT_BUS='maybe' is not allowed: use true (a queue, which HEXBUS_TRANSPORT names)"
                + " or false (in-memory, the default)", refused(Map.of("USE_QUEUE_EVENT_BUS", "maybe")));
    }

    @Test
    void anUnknownModeIsRefusedWithTheAllowedValues() {
        assertEquals("HEXBUS_MODE='both' is not allowed: use api (publish only), worker (consume only, with"
                + " USE_QUEUE_EVENT_BUS=true) or all (both, the default)", refused(Map.of("HEXBUS_MODE", "both")));
    }

    @Test
    void aWorkerWithoutTheQueueIsRefusedBecauseThereIsNothingToConsume() {
        assertTrue(refused(Map.of("HEXBUS_MODE", "worker")).startsWith("HEXBUS_MODE=worker needs"
                + " USE_QUEUE_EVENT_BUS=true"));
    }

    @Test
    void aWorkerOnTheNoneTransportIsRefusedBecauseItWouldConsumeNothing() {
        assertEquals("HEXBUS_MODE=worker needs a queue that delivers: the none transport (HEXBUS_TRANSPORT=none)"
                + " delivers no event to any worker; use api or all, or set HEXBUS_TRANSPORT=redis, kafka or"
                + " rabbitmq",
                refused(Map.of("HEXBUS_MODE", "worker", "USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "none")));
    }

    @Test
    void numbersOutOfRangeOrNotNumbersAreRefusedNamingTheRange() {
        assertEquals("HEXBUS_WORKER_CONCURRENCY='0' is not allowed: use a whole number from 1 to 1000 (events one"
                + " worker handles at once; default 4)", refused(Map.of("HEXBUS_WORKER_CONCURRENCY", "0")));
        assertTrue(refused(Map.of("HEXBUS_SHUTDOWN_DEADLINE_SECONDS", "soon"))
                .startsWith("HEXBUS_SHUTDOWN_DEADLINE_SECONDS='soon' is not allowed: use a whole number from 1 to"));
        assertTrue(refused(Map.of("HEXBUS_RETRY_MAX", "-1")).startsWith("HEXBUS_RETRY_MAX='-1' is not allowed"));
        assertTrue(refused(Map.of("HEXBUS_WORKER_CONCURRENCY", "+4"))
                .startsWith("HEXBUS_WORKER_CONCURRENCY='+4' is not allowed"), "digits only, as REDIS_PORT");
        assertTrue(refused(Map.of("REDIS_PORT", "70000")).startsWith("REDIS_PORT='70000' is not allowed: use a whole"
                + " number from 1 to 65535"));
    }

    @Test
    void aKeyPrefixNeedsExactlyOneHashTag() {
        assertEquals("HEXBUS_KEY_PREFIX='hexbus:events' is not allowed: use a prefix with exactly one hash tag in"
                + " braces, like hexbus:{domain-events} (the default)", refused(Map.of("HEXBUS_KEY_PREFIX",
                "hexbus:events")));
        assertTrue(refused(Map.of("HEXBUS_QUEUE_GROUP", "my group")).startsWith("HEXBUS_QUEUE_GROUP='my group' is"
                + " not allowed"));
    }

    @Test
    void aBadSmtpOrRedisUrlValueIsRefusedToo() {
        assertTrue(refused(Map.of("SMTP_HOST", "smtp.example.com", "SMTP_TLS", "yes", "MAIL_FROM", "a@example.com"))
                .startsWith("SMTP_TLS='yes' is not allowed"));
        assertTrue(refused(Map.of("REDIS_URL", "http://localhost")).startsWith("REDIS_URL must start with redis://"));
    }

    @Test
    void aPropertiesFileSuppliesValuesAndTheEnvironmentWins(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("hexbus.properties");
        Files.writeString(file, "USE_QUEUE_EVENT_BUS=true\nHEXBUS_QUEUE_GROUP=from-file\nHEXBUS_MODE=api\n");

        AppConfig config = AppConfig.from(Map.of("HEXBUS_CONFIG_FILE", file.toString(), "HEXBUS_MODE", "worker",
                "HEXBUS_QUEUE_GROUP", " "));

        assertEquals(TransportChoice.QUEUE, config.transport());
        assertEquals(Mode.WORKER, config.mode(), "the environment wins");
        assertEquals("from-file", config.redis().queue().group(), "a blank variable does not hide the file's value");
        assertEquals("environment and " + file, config.source());
    }

    @Test
    void aBadValueInThePropertiesFileIsRefusedLikeOneInTheEnvironment(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("hexbus.properties");
        Files.writeString(file, "USE_QUEUE_EVENT_BUS=maybe\n");

        assertTrue(refused(Map.of("HEXBUS_CONFIG_FILE", file.toString()))
                .startsWith("USE_QUEUE_EVENT_BUS='maybe' is not allowed"));
    }

    @Test
    void aRedisPasswordNeverShowsInTheConfigurationErrorOrItsTextWhateverReservedCharacterItHolds() {
        for (char c : ":/?#[]@!$&'()*+,;=%".toCharArray()) {
            String raw = "redis://user:Alpha" + c + "Omega@127.0.0.1:6430";
            String encoded = "redis://user:Alpha%" + String.format("%02X", (int) c) + "Omega@127.0.0.1:6430";
            String shown;
            try {
                shown = AppConfig.from(Map.of("REDIS_URL", raw, "USE_QUEUE_EVENT_BUS", "true")).toString();
            } catch (IllegalArgumentException refused) {
                shown = refused.getMessage();
                assertTrue(shown.startsWith("REDIS_URL "), shown);
            }
            AppConfig config = AppConfig.from(Map.of("REDIS_URL", encoded, "USE_QUEUE_EVENT_BUS", "true"));

            assertEquals("Alpha" + c + "Omega", config.redis().connection().password(), encoded);
            for (String text : List.of(shown, config.toString(), config.redis().connection().describe())) {
                assertFalse(text.contains("Alpha") || text.contains("Omega"), text);
            }
        }
    }

    @Test
    void aRedisUrlPortOrHostThatCannotBeUsedStopsTheAppAtStart() {
        assertEquals("REDIS_URL redis://bob:***@127.0.0.1:abc is not a valid Redis URL: the port must be a number"
                + " from 1 to 65535", refused(Map.of("REDIS_URL", "redis://bob:s3cret@127.0.0.1:abc")));
        assertTrue(refused(Map.of("REDIS_HOST", "not a host")).startsWith("REDIS_HOST='not a host' is not a host"));
    }

    @Test
    void aKeyOfThePropertiesFileThatTheAppDoesNotReadIsRefusedNamingTheNearestKnownOne(@TempDir Path directory)
            throws IOException {
        Path file = directory.resolve("hexbus.properties");
        Files.writeString(file, "USE_QUEUE_EVENT_BUSS=true\nHEXBUS_MODE=api\n");

        assertEquals("HEXBUS_CONFIG_FILE='" + file + "' has an unknown key USE_QUEUE_EVENT_BUSS (nearest known key:"
                + " USE_QUEUE_EVENT_BUS): fix or remove it (the names are those of the environment variables; see"
                + " docs/running.md)", refused(Map.of("HEXBUS_CONFIG_FILE", file.toString())));
    }

    @Test
    void theConfigurationFileCannotNameAnother(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("hexbus.properties");
        Files.writeString(file, "HEXBUS_CONFIG_FILE=other.properties\n");

        assertEquals("HEXBUS_CONFIG_FILE='" + file + "' sets HEXBUS_CONFIG_FILE, which is read from the environment"
                + " only: remove that line", refused(Map.of("HEXBUS_CONFIG_FILE", file.toString())));
    }

    @Test
    void aMissingPropertiesFileIsRefused(@TempDir Path directory) {
        String missing = directory.resolve("nope.properties").toString();

        assertEquals("HEXBUS_CONFIG_FILE='" + missing + "' cannot be read (NoSuchFileException): name a readable"
                + " properties file, or unset it", refused(Map.of("HEXBUS_CONFIG_FILE", missing)));
    }

    @Test
    void theHttpServerIsOffByDefaultOnLoopbackPort8080WithoutAToken() {
        HttpSettings http = AppConfig.from(Map.of()).http();

        assertFalse(http.enabled());
        assertEquals("127.0.0.1", http.host());
        assertEquals(8080, http.port());
        assertTrue(http.adminToken().isEmpty());
        assertFalse(http.insecure());
        assertFalse(http.adminServed());
    }

    @Test
    void readsTheHttpVariablesAndNeverShowsTheToken() {
        AppConfig config = AppConfig.from(Map.of("HTTP_ENABLED", "true", "HTTP_HOST", "0.0.0.0", "HTTP_PORT", "0",
                "HEXBUS_ADMIN_TOKEN", "s3cr3t-t0ken-abcdefgh", "HEXBUS_ADMIN_INSECURE", "false"));

        assertTrue(config.http().enabled());
        assertEquals("0.0.0.0", config.http().host());
        assertEquals(0, config.http().port());
        assertEquals("s3cr3t-t0ken-abcdefgh", config.http().adminToken().orElseThrow());
        assertTrue(config.http().adminServed());
        assertFalse(config.toString().contains("s3cr3t"), config.toString());
        assertTrue(config.http().toString().contains("adminToken=(set)"), config.http().toString());
    }

    @Test
    void badHttpValuesAreRefusedNamingTheVariable() {
        assertTrue(refused(Map.of("HTTP_ENABLED", "yes")).startsWith("HTTP_ENABLED='yes' is not allowed: use true"));
        assertTrue(refused(Map.of("HTTP_PORT", "65536")).startsWith("HTTP_PORT=65536 is not allowed: use 0 to 65535"));
        assertTrue(refused(Map.of("HTTP_PORT", "http")).startsWith("HTTP_PORT='http' is not allowed"));
        assertTrue(refused(Map.of("HTTP_HOST", "a host")).startsWith("HTTP_HOST='a host' is not allowed"));
        assertTrue(refused(Map.of("HEXBUS_ADMIN_INSECURE", "1")).startsWith("HEXBUS_ADMIN_INSECURE='1' is not"));
        String shortToken = refused(Map.of("HEXBUS_ADMIN_TOKEN", "short"));
        assertTrue(shortToken.startsWith("HEXBUS_ADMIN_TOKEN is not allowed: use at least 16"), shortToken);
        assertFalse(shortToken.contains("short'"), "the token is never repeated: " + shortToken);
    }

    @Test
    void withoutDatabaseUrlThereIsNoDatabaseAndTheLogSaysEverythingStaysInMemory() {
        AppConfig config = AppConfig.from(Map.of());

        assertEquals(Optional.empty(), config.database());
        assertTrue(config.describeDatabase().startsWith("none (DATABASE_URL is not set)"), config.describeDatabase());
    }

    @Test
    void aDatabasePasswordWithReservedCharactersNeverShowsInTheConfigurationOrItsLogLine() {
        for (String url : List.of("postgres://app:p@ss:w/rd#?@db.example:5432/orders",
                "postgres://app:p%40ss%3Aw%2Frd%23%3F@db.example:5432/orders",
                "jdbc:postgresql://db.example:5432/orders?user=app&password=p@ss:w/rd#?")) {
            AppConfig config = AppConfig.from(Map.of("DATABASE_URL", url));

            assertTrue(config.database().isPresent(), url);
            for (String text : List.of(config.toString(), config.describeDatabase())) {
                assertFalse(text.contains("p@ss") || text.contains("w/rd") || text.contains("p%40ss"), text);
                assertTrue(text.contains("db.example:5432/orders"), text);
            }
        }
    }

    @Test
    void aDatabaseUrlOfAnotherKindStopsTheAppAtStartWithoutQuotingIt() {
        String refusal = refused(Map.of("DATABASE_URL", "mysql://app:p@ss:w/rd#?@db.example/orders"));

        assertTrue(refusal.startsWith("DATABASE_URL is not a PostgreSQL URL"), refusal);
        assertFalse(refusal.contains("p@ss"), refusal);
    }

    @Test
    void theDedupeWindowIsTheChosenTransportsSoRecurringEventsCatchUpWithinIt() {
        assertEquals(Duration.ofDays(7), AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true")).dedupeWindow());
        assertEquals(Duration.ofHours(24), AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true",
                "HEXBUS_TRANSPORT", "kafka")).dedupeWindow());
        assertEquals(Duration.ofHours(24), AppConfig.from(Map.of("USE_QUEUE_EVENT_BUS", "true",
                "HEXBUS_TRANSPORT", "rabbitmq")).dedupeWindow());
        assertEquals(InMemoryEventBusSettings.DEFAULT.dedupeWindow(), AppConfig.from(Map.of()).dedupeWindow());
    }
}
