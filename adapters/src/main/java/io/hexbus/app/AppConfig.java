package io.hexbus.app;

import io.hexbus.adapters.guice.DatabaseSettings;
import io.hexbus.adapters.guice.KafkaTransportSettings;
import io.hexbus.adapters.guice.RabbitTransportSettings;
import io.hexbus.adapters.guice.RedisTransportSettings;
import io.hexbus.adapters.guice.SettingValues;
import io.hexbus.adapters.guice.SubscriptionSettings;
import io.hexbus.adapters.http.HttpSettings;
import io.hexbus.adapters.mail.SmtpSettings;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.inmemory.InMemoryEventBusSettings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The application's configuration, read once at start from the environment and, when
 * {@code HEXBUS_CONFIG_FILE} names one, a properties file with the same names (a variable set in the
 * environment wins over the file). A key of that file that is not such a name is refused, naming the nearest
 * known one ({@link ConfigKeys}). Every value is checked here: a bad one is an
 * {@link IllegalArgumentException} naming the variable and the allowed values, so the app stops before it
 * wires anything. Immutable; {@link #toString()} shows no password.
 *
 * <p>The Redis settings are read by {@link RedisTransportSettings}, next to the Redis module, the Kafka settings
 * by {@link KafkaTransportSettings}, next to the Kafka module, and the RabbitMQ settings by
 * {@link RabbitTransportSettings}, next to the RabbitMQ module, so that this package names no Redis, Kafka or
 * RabbitMQ type; all are read and checked whatever the transport, so that a bad value is found before the day the queue is
 * switched on or changed.
 *
 * @param transport        in memory or a queue ({@code USE_QUEUE_EVENT_BUS})
 * @param queue            which queue, when {@code transport} is {@link TransportChoice#QUEUE}
 *                         ({@code HEXBUS_TRANSPORT}); {@link QueueChoice#REDIS} in memory, where it is unused
 * @param mode             what this process does ({@code HEXBUS_MODE})
 * @param redis            where Redis is and the queue's group, key prefix and concurrency; used only with the
 *                         Redis queue
 * @param kafka            where Kafka is, how to log in, and the queue's topics, group and concurrency; used only
 *                         with the Kafka queue
 * @param rabbitmq         where RabbitMQ is, how to log in, and the queue's prefix, group and concurrency; used
 *                         only with the RabbitMQ queue
 * @param shutdownDeadline how long in-flight work may take to finish at shutdown
 *                         ({@code HEXBUS_SHUTDOWN_DEADLINE_SECONDS})
 * @param subscriptions    the disabled subscriptions and the default retry policy
 * @param smtp             the SMTP server, or empty to log mails instead of sending them ({@code SMTP_*})
 * @param http             the HTTP server ({@code HTTP_ENABLED}, {@code HTTP_HOST}, {@code HTTP_PORT}) and the admin
 *                         API's token ({@code HEXBUS_ADMIN_TOKEN}, {@code HEXBUS_ADMIN_INSECURE})
 * @param database         the PostgreSQL of the invoices and the transactional outbox ({@code DATABASE_URL}), or
 *                         empty to keep everything in memory and publish straight to the transport
 * @param source           where the configuration came from, for the start-up log
 */
record AppConfig(TransportChoice transport, QueueChoice queue, Mode mode, RedisTransportSettings redis,
                 KafkaTransportSettings kafka, RabbitTransportSettings rabbitmq, Duration shutdownDeadline,
                 SubscriptionSettings subscriptions, Optional<SmtpSettings> smtp, HttpSettings http,
                 Optional<DatabaseSettings> database, String source) {

    /** Names a properties file with more settings; the environment wins over it. */
    static final String CONFIG_FILE = "HEXBUS_CONFIG_FILE";
    /** How long in-flight handlers may finish at shutdown, in seconds. */
    static final String SHUTDOWN_DEADLINE = "HEXBUS_SHUTDOWN_DEADLINE_SECONDS";
    /** Retries after the first attempt, for subscriptions that keep the default policy. */
    static final String RETRY_MAX = "HEXBUS_RETRY_MAX";
    /** The wait before the first retry in milliseconds; each next wait doubles. */
    static final String RETRY_BACKOFF = "HEXBUS_RETRY_BACKOFF_MS";
    /** Comma-separated subscription names not to register. */
    static final String DISABLED_SUBSCRIPTIONS = "HEXBUS_DISABLED_SUBSCRIPTIONS";

    /** The shutdown deadline when {@link #SHUTDOWN_DEADLINE} is unset, in seconds. */
    static final int DEFAULT_SHUTDOWN_SECONDS = 30;

    /**
     * Reads and checks the configuration.
     *
     * @param environment the process environment
     * @return the configuration
     * @throws IllegalArgumentException naming the variable whose value is wrong and the allowed values
     */
    static AppConfig from(Map<String, String> environment) {
        Map<String, String> merged = new HashMap<>();
        String source = "environment";
        String file = SettingValues.trimmed(environment, CONFIG_FILE);
        if (file != null) {
            merged.putAll(readProperties(file));
            source = "environment and " + file;
        }
        environment.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                merged.put(name, value);
            }
        });
        return fromMerged(merged, source);
    }

    /**
     * @return how long the chosen transport remembers an event id, which bounds how far recurring events catch up;
     *         the in-memory default's for the none transport, which delivers nothing anyway
     */
    Duration dedupeWindow() {
        return switch (transport) {
            case IN_MEMORY -> InMemoryEventBusSettings.DEFAULT.dedupeWindow();
            case QUEUE -> switch (queue) {
                case REDIS -> redis.dedupeWindow();
                case KAFKA -> kafka.dedupeWindow();
                case RABBITMQ -> rabbitmq.dedupeWindow();
                case NONE -> InMemoryEventBusSettings.DEFAULT.dedupeWindow();
            };
        };
    }

    /**
     * @return the transport for the start-up log: which, why, and where (never a password)
     */
    String describeTransport() {
        return switch (transport) {
            case IN_MEMORY -> "in-memory (" + TransportChoice.VARIABLE + " is not true): handlers run in the"
                    + " publisher's thread";
            case QUEUE -> switch (queue) {
                case REDIS -> "Redis queue (" + TransportChoice.VARIABLE + "=true) at " + redis.describe();
                case KAFKA -> "Kafka queue (" + TransportChoice.VARIABLE + "=true, " + QueueChoice.VARIABLE
                        + "=kafka) at " + kafka.describe();
                case RABBITMQ -> "RabbitMQ queue (" + TransportChoice.VARIABLE + "=true, " + QueueChoice.VARIABLE
                        + "=rabbitmq) at " + rabbitmq.describe();
                case NONE -> "none (" + TransportChoice.VARIABLE + "=true, " + QueueChoice.VARIABLE + "=none): events"
                        + " are accepted and counted, and delivered to no handler";
            };
        };
    }

    /**
     * @return where the invoices and the outbox are, for the start-up log (never a password)
     */
    String describeDatabase() {
        return database.map(settings -> "PostgreSQL (" + DatabaseSettings.URL + ") at " + settings.describe()
                        + ": invoices and the transactional outbox, its relay forwarding to the transport")
                .orElse("none (" + DatabaseSettings.URL + " is not set): invoices in memory, events published"
                        + " straight to the transport");
    }

    /**
     * @return where a queue's events go, for the log lines of publishing and consuming
     */
    String describeQueue() {
        return switch (queue) {
            case NONE -> "the none transport, which delivers nothing";
            case KAFKA -> "group '" + kafka.group() + "' (Kafka consumer group " + kafka.consumerGroupId()
                    + ")";
            case RABBITMQ -> "group '" + rabbitmq.group() + "' (RabbitMQ queue "
                    + rabbitmq.workQueue() + ")";
            case REDIS -> "group '" + redis.group() + "'";
        };
    }

    private static AppConfig fromMerged(Map<String, String> config, String source) {
        TransportChoice transport = TransportChoice.from(config);
        QueueChoice queue = QueueChoice.from(config);
        Mode mode = Mode.from(config);
        if (mode == Mode.WORKER && transport == TransportChoice.IN_MEMORY) {
            throw new IllegalArgumentException(Mode.VARIABLE + "=worker needs " + TransportChoice.VARIABLE
                    + "=true: in memory, handlers run in the publisher's thread and there is no queue for a worker"
                    + " to consume; use api or all, or set " + TransportChoice.VARIABLE + "=true");
        }
        if (mode == Mode.WORKER && transport == TransportChoice.QUEUE && queue == QueueChoice.NONE) {
            // As in memory: a worker process with nothing to consume would idle forever and look healthy.
            throw new IllegalArgumentException(Mode.VARIABLE + "=worker needs a queue that delivers: the none"
                    + " transport (" + QueueChoice.VARIABLE + "=none) delivers no event to any worker; use api or all,"
                    + " or set " + QueueChoice.VARIABLE + "=redis, kafka or rabbitmq");
        }
        if (transport == TransportChoice.IN_MEMORY && config.containsKey(QueueChoice.VARIABLE)) {
            // Refused, not ignored: HEXBUS_TRANSPORT=none without the queue would deliver every event in memory.
            throw new IllegalArgumentException(QueueChoice.VARIABLE + "=" + queue.value() + " needs "
                    + TransportChoice.VARIABLE + "=true: it names the queue, and in memory every handler runs in"
                    + " the publisher's thread; set " + TransportChoice.VARIABLE + "=true, or unset "
                    + QueueChoice.VARIABLE);
        }
        Duration shutdownDeadline = Duration.ofSeconds(SettingValues.wholeNumber(config, SHUTDOWN_DEADLINE,
                DEFAULT_SHUTDOWN_SECONDS, 1, 3_600, "seconds in-flight handlers may take to finish at shutdown"));
        RedisTransportSettings redis = RedisTransportSettings.fromConfiguration(config, shutdownDeadline,
                SampleQueues.routes());
        KafkaTransportSettings kafka = KafkaTransportSettings.fromConfiguration(config, shutdownDeadline);
        RabbitTransportSettings rabbitmq = RabbitTransportSettings.fromConfiguration(config, shutdownDeadline);
        int retryMax = SettingValues.wholeNumber(config, RETRY_MAX, RetryPolicy.DEFAULT.maxRetries(), 0, 100,
                "retries after the first attempt");
        int backoffMillis = SettingValues.wholeNumber(config, RETRY_BACKOFF,
                (int) RetryPolicy.DEFAULT.initialBackoff().toMillis(), 0, 3_600_000,
                "milliseconds before the first retry, doubling after");
        RetryPolicy retries = retryMax == RetryPolicy.DEFAULT.maxRetries()
                && backoffMillis == RetryPolicy.DEFAULT.initialBackoff().toMillis()
                ? RetryPolicy.DEFAULT
                : RetryPolicy.exponential(retryMax, Duration.ofMillis(backoffMillis));
        Set<String> disabled = Arrays.stream(config.getOrDefault(DISABLED_SUBSCRIPTIONS, "").split(","))
                .map(String::trim).filter(name -> !name.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Optional<SmtpSettings> smtp = SmtpSettings.fromEnvironment(config);
        HttpSettings http = HttpSettings.fromEnvironment(config);
        Optional<DatabaseSettings> database = DatabaseSettings.fromConfiguration(config);
        return new AppConfig(transport, queue, mode, redis, kafka, rabbitmq, shutdownDeadline,
                new SubscriptionSettings(disabled, retries), smtp, http, database, source);
    }

    private static Map<String, String> readProperties(String file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | RuntimeException unreadable) {
            throw new IllegalArgumentException(CONFIG_FILE + "='" + file + "' cannot be read ("
                    + unreadable.getClass().getSimpleName() + "): name a readable properties file, or unset it");
        }
        Set<String> keys = properties.stringPropertyNames();
        if (keys.contains(CONFIG_FILE)) {
            throw new IllegalArgumentException(CONFIG_FILE + "='" + file + "' sets " + CONFIG_FILE + ", which is read"
                    + " from the environment only: remove that line");
        }
        Set<String> knownInFile = new HashSet<>(ConfigKeys.KNOWN);
        knownInFile.remove(CONFIG_FILE);
        ConfigKeys.unknownFileKeys(knownInFile, keys).ifPresent(unknown -> {
            throw new IllegalArgumentException(CONFIG_FILE + "='" + file + "' has " + unknown
                    + ": fix or remove it (the names are those of the environment variables; see docs/running.md)");
        });
        Map<String, String> values = new HashMap<>();
        keys.forEach(name -> {
            String value = properties.getProperty(name);
            if (!value.isBlank()) {
                values.put(name, value);
            }
        });
        return values;
    }
}
