package io.hexbus.app;

import io.hexbus.adapters.guice.SubscriptionSettings;
import io.hexbus.adapters.http.HttpSettings;
import io.hexbus.adapters.mail.SmtpSettings;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;

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
 * @param transport     which transport carries the events ({@code USE_QUEUE_EVENT_BUS})
 * @param mode          what this process does ({@code HEXBUS_MODE})
 * @param redis         where Redis is ({@code REDIS_URL}, or {@code REDIS_HOST}, {@code REDIS_PORT},
 *                      {@code REDIS_PASSWORD}, {@code REDIS_DB}); used only with the queue
 * @param queue         the queue's consumer group, key prefix, worker concurrency and shutdown deadline
 * @param subscriptions the disabled subscriptions and the default retry policy
 * @param smtp          the SMTP server, or empty to log mails instead of sending them ({@code SMTP_*})
 * @param http          the HTTP server ({@code HTTP_ENABLED}, {@code HTTP_HOST}, {@code HTTP_PORT}) and the admin
 *                      API's token ({@code HEXBUS_ADMIN_TOKEN}, {@code HEXBUS_ADMIN_INSECURE})
 * @param source        where the configuration came from, for the start-up log
 */
record AppConfig(TransportChoice transport, Mode mode, RedisConnectionSettings redis, RedisQueueSettings queue,
                 SubscriptionSettings subscriptions, Optional<SmtpSettings> smtp, HttpSettings http, String source) {

    /** Names a properties file with more settings; the environment wins over it. */
    static final String CONFIG_FILE = "HEXBUS_CONFIG_FILE";
    /** The consumer group: one per application (service). */
    static final String QUEUE_GROUP = "HEXBUS_QUEUE_GROUP";
    /** The prefix of every Redis key, with exactly one hash tag. */
    static final String KEY_PREFIX = "HEXBUS_KEY_PREFIX";
    /** Events one worker handles at once. */
    static final String WORKER_CONCURRENCY = "HEXBUS_WORKER_CONCURRENCY";
    /** How long in-flight handlers may finish at shutdown, in seconds. */
    static final String SHUTDOWN_DEADLINE = "HEXBUS_SHUTDOWN_DEADLINE_SECONDS";
    /** Retries after the first attempt, for subscriptions that keep the default policy. */
    static final String RETRY_MAX = "HEXBUS_RETRY_MAX";
    /** The wait before the first retry in milliseconds; each next wait doubles. */
    static final String RETRY_BACKOFF = "HEXBUS_RETRY_BACKOFF_MS";
    /** Comma-separated subscription names not to register. */
    static final String DISABLED_SUBSCRIPTIONS = "HEXBUS_DISABLED_SUBSCRIPTIONS";

    /** The consumer group when {@link #QUEUE_GROUP} is unset. */
    static final String DEFAULT_GROUP = "hexbus-sample";

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
        String file = blankToNull(environment.get(CONFIG_FILE));
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

    private static AppConfig fromMerged(Map<String, String> config, String source) {
        TransportChoice transport = TransportChoice.from(config);
        Mode mode = Mode.from(config);
        if (mode == Mode.WORKER && transport == TransportChoice.IN_MEMORY) {
            throw new IllegalArgumentException(Mode.VARIABLE + "=worker needs " + TransportChoice.VARIABLE
                    + "=true: in memory, handlers run in the publisher's thread and there is no queue for a worker"
                    + " to consume; use api or all, or set " + TransportChoice.VARIABLE + "=true");
        }
        RedisConnectionSettings redis = redis(config);
        RedisQueueSettings queue = queue(config);
        int retryMax = integer(config, RETRY_MAX, RetryPolicy.DEFAULT.maxRetries(), 0, 100,
                "retries after the first attempt");
        int backoffMillis = integer(config, RETRY_BACKOFF, (int) RetryPolicy.DEFAULT.initialBackoff().toMillis(), 0,
                3_600_000, "milliseconds before the first retry, doubling after");
        RetryPolicy retries = retryMax == RetryPolicy.DEFAULT.maxRetries()
                && backoffMillis == RetryPolicy.DEFAULT.initialBackoff().toMillis()
                ? RetryPolicy.DEFAULT
                : RetryPolicy.exponential(retryMax, Duration.ofMillis(backoffMillis));
        Set<String> disabled = Arrays.stream(config.getOrDefault(DISABLED_SUBSCRIPTIONS, "").split(","))
                .map(String::trim).filter(name -> !name.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Optional<SmtpSettings> smtp = SmtpSettings.fromEnvironment(config);
        HttpSettings http = HttpSettings.fromEnvironment(config);
        return new AppConfig(transport, mode, redis, queue, new SubscriptionSettings(disabled, retries), smtp, http,
                source);
    }

    private static RedisConnectionSettings redis(Map<String, String> config) {
        if (blankToNull(config.get("REDIS_URL")) == null) {
            integer(config, "REDIS_PORT", 6379, 1, 65_535, "the Redis port");
            integer(config, "REDIS_DB", 0, 0, Integer.MAX_VALUE, "the Redis database number");
        }
        return RedisConnectionSettings.fromEnvironment(config);
    }

    private static RedisQueueSettings queue(Map<String, String> config) {
        String group = config.getOrDefault(QUEUE_GROUP, DEFAULT_GROUP).trim();
        RedisQueueSettings queue;
        try {
            queue = RedisQueueSettings.defaults(group);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(QUEUE_GROUP + "='" + group + "' is not allowed: use 1 to 100 letters,"
                    + " digits, '.', '_' or '-' (one consumer group per application; default " + DEFAULT_GROUP + ")");
        }
        String prefix = config.getOrDefault(KEY_PREFIX, RedisQueueSettings.DEFAULT_PREFIX).trim();
        try {
            queue = queue.withKeyPrefix(prefix);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(KEY_PREFIX + "='" + prefix + "' is not allowed: use a prefix with"
                    + " exactly one hash tag in braces, like " + RedisQueueSettings.DEFAULT_PREFIX + " (the default)");
        }
        int concurrency = integer(config, WORKER_CONCURRENCY, queue.concurrency(), 1, 1_000,
                "events one worker handles at once");
        int deadline = integer(config, SHUTDOWN_DEADLINE, (int) queue.shutdownDeadline().toSeconds(), 1, 3_600,
                "seconds in-flight handlers may take to finish at shutdown");
        return queue.withConcurrency(concurrency).withShutdownDeadline(Duration.ofSeconds(deadline));
    }

    private static int integer(Map<String, String> config, String variable, int fallback, int min, int max,
                               String meaning) {
        String text = blankToNull(config.get(variable));
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            // Digits only, as REDIS_PORT and REDIS_DB: parseInt also takes a sign ("+4").
            if (value >= min && value <= max && Character.isDigit(text.charAt(0))) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException(variable + "='" + text + "' is not allowed: use a whole number from " + min
                + " to " + max + " (" + meaning + "; default " + fallback + ")");
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

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
