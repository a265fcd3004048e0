package io.hexbus.adapters.guice;

import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.rabbitmq.RabbitConnectionSettings;
import io.hexbus.rabbitmq.RabbitQueueSettings;
import io.hexbus.rabbitmq.RabbitWorkerSettings;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of {@link RabbitTransportModule}, read from the environment (or the configuration file) next to the
 * module that uses them, so that a composition root names no RabbitMQ type: where RabbitMQ is and how to log in
 * ({@link RabbitConnectionSettings#VARIABLES}: {@code RABBITMQ_URL}, {@code RABBITMQ_USER},
 * {@code RABBITMQ_PASSWORD}, {@code RABBITMQ_VHOST} and the TLS truststore), and the bus's prefix, the
 * application's group, the call timeout, the broker's consumer timeout and the workers' concurrency. Immutable;
 * {@link #toString()} and {@link #describe()} show no password.
 *
 * @param connection where RabbitMQ is and how to log in
 * @param queue      the prefix, group and command timeout
 * @param workers    the workers' concurrency, shutdown deadline and consumer timeout
 */
public record RabbitTransportSettings(RabbitConnectionSettings connection, RabbitQueueSettings queue,
                                      RabbitWorkerSettings workers) {

    /** The application's group: one per application; the Redis and Kafka queues read it too. */
    public static final String QUEUE_GROUP = "HEXBUS_QUEUE_GROUP";
    /** Events one worker handles at once; the Redis and Kafka queues read it too. */
    public static final String WORKER_CONCURRENCY = "HEXBUS_WORKER_CONCURRENCY";
    /** The group when {@link #QUEUE_GROUP} is unset, as on Redis and Kafka. */
    public static final String DEFAULT_GROUP = "hexbus-sample";
    /** The bus's prefix, the start of every exchange and queue name: the same for every application of a bus. */
    public static final String PREFIX = "HEXBUS_RABBITMQ_PREFIX";
    /** How long a call to RabbitMQ (a publish's confirm included) may take, in milliseconds. */
    public static final String COMMAND_TIMEOUT = "HEXBUS_RABBITMQ_COMMAND_TIMEOUT_MS";
    /** The broker's {@code consumer_timeout}, in milliseconds, when it is not RabbitMQ's default of 30 minutes. */
    public static final String CONSUMER_TIMEOUT = "HEXBUS_RABBITMQ_CONSUMER_TIMEOUT_MS";

    /** Every name {@link #fromConfiguration} reads. */
    public static final Set<String> VARIABLES = variables();

    /**
     * @param connection where RabbitMQ is and how to log in
     * @param queue      the prefix, group and command timeout
     * @param workers    the workers' concurrency, shutdown deadline and consumer timeout
     */
    public RabbitTransportSettings {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(workers, "workers");
    }

    private static Set<String> variables() {
        Set<String> names = new HashSet<>(RabbitConnectionSettings.VARIABLES);
        names.addAll(Set.of(QUEUE_GROUP, WORKER_CONCURRENCY, PREFIX, COMMAND_TIMEOUT, CONSUMER_TIMEOUT));
        return Set.copyOf(names);
    }

    /**
     * Reads and checks the settings; connects to nothing.
     *
     * @param config           the merged configuration: the environment over the configuration file
     * @param shutdownDeadline how long in-flight handlers may finish at shutdown (a setting of the application)
     * @return the settings
     * @throws IllegalArgumentException naming the variable whose value is wrong and the allowed values (never quoting
     *                                  a password)
     */
    public static RabbitTransportSettings fromConfiguration(Map<String, String> config, Duration shutdownDeadline) {
        RabbitConnectionSettings connection = RabbitConnectionSettings.fromEnvironment(config);
        String group = config.getOrDefault(QUEUE_GROUP, DEFAULT_GROUP).trim();
        RabbitQueueSettings queue;
        try {
            queue = RabbitQueueSettings.defaults(group);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(QUEUE_GROUP + "='" + group + "' is not allowed: use 1 to 100 letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit (one group per application; default "
                    + DEFAULT_GROUP + ")");
        }
        String prefix = config.getOrDefault(PREFIX, RabbitQueueSettings.DEFAULT_PREFIX).trim();
        try {
            queue = queue.withPrefix(prefix);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(PREFIX + "='" + prefix + "' is not allowed: use 1 to 100 letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit (default "
                    + RabbitQueueSettings.DEFAULT_PREFIX + ")");
        }
        int timeoutMillis = SettingValues.wholeNumber(config, COMMAND_TIMEOUT,
                (int) queue.commandTimeout().toMillis(), 100, 600_000,
                "milliseconds a call to RabbitMQ may take, a publish's confirm included");
        queue = queue.withCommandTimeout(Duration.ofMillis(timeoutMillis));
        RabbitWorkerSettings defaults = RabbitWorkerSettings.defaults();
        int consumerTimeoutMillis = SettingValues.wholeNumber(config, CONSUMER_TIMEOUT,
                (int) defaults.consumerTimeout().toMillis(), 1_000, Integer.MAX_VALUE,
                "the broker's consumer_timeout in milliseconds; a handler timeout must stay below it");
        int concurrency = SettingValues.wholeNumber(config, WORKER_CONCURRENCY,
                defaults.engine().concurrency(), 1, 1_000, "events one worker handles at once");
        EngineSettings engine = defaults.engine().withConcurrency(concurrency).withShutdownDeadline(shutdownDeadline);
        return new RabbitTransportSettings(connection, queue, defaults.withEngine(engine)
                .withConsumerTimeout(Duration.ofMillis(consumerTimeoutMillis)));
    }

    /**
     * @return where RabbitMQ is and who logs in (never a password), the group and the work queue, for the start-up
     *         log
     */
    public String describe() {
        return connection.describe() + ", group '" + queue.group() + "', queue " + workQueue();
    }

    /**
     * @return the application's work queue, {@code <prefix>.<group>}
     */
    public String workQueue() {
        return queue.names().workQueue();
    }

    /**
     * @return the application's name as the statistics show it (its work queue is {@code <prefix>.<group>})
     */
    public String group() {
        return queue.group();
    }

    /** @return how long the queue remembers an event id, which bounds how far recurring events catch up */
    public Duration dedupeWindow() {
        return queue.dedupeWindow();
    }
}
