package io.hexbus.app;

import com.google.inject.Injector;
import com.google.inject.Module;
import io.hexbus.adapters.guice.HandlerRegistry;
import io.hexbus.adapters.guice.OutboxForwarding;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.kafka.testing.KafkaTestTopics;
import io.hexbus.kafka.testing.TestKafka;
import io.hexbus.rabbitmq.testing.TestRabbit;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.testing.RawRedis;
import io.hexbus.redis.testing.TestRedis;
import io.hexbus.sample.invoicing.application.InvoiceRepository;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The application wired as the composition root wires it ({@link AppConfig} → {@link Wiring} → handlers
 * registered), in this JVM, for tests. The queued variants talk to the shared test Redis on a key prefix of
 * its own, to the shared test Kafka on a topic prefix of its own (2 partitions, 1 replica), or to the shared test
 * RabbitMQ on a prefix of its own, run one worker, and delete their keys, topics or queues when closed. With
 * {@code DATABASE_URL} in the environment, the app runs on the outbox as the composition root runs it: tables
 * migrated, the relay started, and stopped before the transport when closed.
 */
final class WiredApp implements AutoCloseable {

    final AppConfig config;
    final Injector injector;
    private final QueueChoice queue;
    final Optional<OutboxForwarding> outbox;

    private WiredApp(Map<String, String> environment, List<? extends Module> extra) {
        this.config = AppConfig.from(environment);
        this.injector = Wiring.injector(config, extra);
        this.queue = config.transport() == TransportChoice.QUEUE ? config.queue() : QueueChoice.NONE;
        injector.getInstance(HandlerRegistry.class).registerAll();
        this.outbox = config.database().map(database -> {
            OutboxForwarding forwarding = injector.getInstance(OutboxForwarding.class);
            injector.getInstance(InvoiceRepository.class); // the sample's tables, as the app migrates them at start
            forwarding.start();
            return forwarding;
        });
    }

    /**
     * @param environment the variables besides the transport's
     * @return the app on the in-memory transport
     */
    static WiredApp inMemory(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("USE_QUEUE_EVENT_BUS", "false");
        return new WiredApp(env, List.of());
    }

    /**
     * @param environment the variables besides the transport's
     * @return the app on the Redis queue, on a key prefix of its own, with one worker running
     */
    static WiredApp queued(Map<String, String> environment) {
        WiredApp app = new WiredApp(queuedEnvironment(environment), List.of());
        app.injector.getInstance(RedisTransport.class).startWorker();
        return app;
    }

    /**
     * @param queue       {@link QueueChoice#REDIS}, {@link QueueChoice#KAFKA} or {@link QueueChoice#RABBITMQ}
     * @param environment the variables besides the transport's
     * @return the app on that queue, on a key or topic prefix of its own, with one worker running
     */
    static WiredApp queued(QueueChoice queue, Map<String, String> environment) {
        return switch (queue) {
            case REDIS -> queued(environment);
            case KAFKA -> {
                WiredApp app = new WiredApp(kafkaEnvironment(environment), List.of());
                app.injector.getInstance(QueuedTransport.class).startWorker();
                yield app;
            }
            case RABBITMQ -> {
                WiredApp app = new WiredApp(rabbitEnvironment(environment), List.of());
                app.injector.getInstance(QueuedTransport.class).startWorker();
                yield app;
            }
            case NONE -> noDelivery(environment);
        };
    }

    /**
     * @param environment the variables besides the transport's
     * @return them, plus the RabbitMQ queue, the test RabbitMQ, a unique prefix, calls bounded by 5 s and a short
     *         shutdown deadline
     */
    static Map<String, String> rabbitEnvironment(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("USE_QUEUE_EVENT_BUS", "true");
        env.put("HEXBUS_TRANSPORT", "rabbitmq");
        env.putIfAbsent("RABBITMQ_URL", TestRabbit.url());
        env.putIfAbsent("HEXBUS_RABBITMQ_PREFIX", TestRabbit.uniquePrefix());
        env.putIfAbsent("HEXBUS_RABBITMQ_COMMAND_TIMEOUT_MS", "5000");
        env.putIfAbsent("HEXBUS_SHUTDOWN_DEADLINE_SECONDS", "5");
        return env;
    }

    /**
     * @param environment the variables besides the transport's
     * @return them, plus the Kafka queue, the test Kafka, a unique topic prefix, topics of 2 partitions and 1
     *         replica (a single test broker), calls bounded by 5 s and a short shutdown deadline
     */
    static Map<String, String> kafkaEnvironment(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("USE_QUEUE_EVENT_BUS", "true");
        env.put("HEXBUS_TRANSPORT", "kafka");
        env.putIfAbsent("KAFKA_BOOTSTRAP_SERVERS", TestKafka.shared());
        env.putIfAbsent("HEXBUS_KAFKA_TOPIC_PREFIX", "hexbus-test." + UUID.randomUUID());
        env.putIfAbsent("HEXBUS_KAFKA_PARTITIONS", "2");
        env.putIfAbsent("HEXBUS_KAFKA_REPLICATION_FACTOR", "1");
        env.putIfAbsent("HEXBUS_KAFKA_COMMAND_TIMEOUT_MS", "5000");
        env.putIfAbsent("HEXBUS_SHUTDOWN_DEADLINE_SECONDS", "5");
        return env;
    }

    /**
     * @param environment the variables besides the transport's
     * @return the app on the {@code none} transport, with its (idle) worker started as the app starts one
     */
    static WiredApp noDelivery(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("USE_QUEUE_EVENT_BUS", "true");
        env.put("HEXBUS_TRANSPORT", "none");
        WiredApp app = new WiredApp(env, List.of());
        app.injector.getInstance(QueuedTransport.class).startWorker();
        return app;
    }

    /**
     * @param environment the variables besides the transport's
     * @return them, plus the queue, the test Redis, a unique key prefix and a short shutdown deadline
     */
    static Map<String, String> queuedEnvironment(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("USE_QUEUE_EVENT_BUS", "true");
        env.put("REDIS_URL", redisUrl());
        env.putIfAbsent("HEXBUS_KEY_PREFIX", uniquePrefix());
        env.putIfAbsent("HEXBUS_SHUTDOWN_DEADLINE_SECONDS", "5");
        return env;
    }

    /** @return a key prefix no other test uses, with its one hash tag */
    static String uniquePrefix() {
        return "hexbus-test:{" + UUID.randomUUID() + "}";
    }

    /** @return the URL of the shared test Redis */
    static String redisUrl() {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) {
            return url.trim();
        }
        RedisConnectionSettings redis = TestRedis.shared();
        return "redis://" + redis.host() + ":" + redis.port() + "/" + redis.database();
    }

    /** @return the sample service of this wiring */
    SampleService sample() {
        return injector.getInstance(SampleService.class);
    }

    @Override
    public void close() {
        outbox.ifPresent(OutboxForwarding::close); // before the transport it forwards to, as the app does
        if (config.transport() == TransportChoice.QUEUE) {
            injector.getInstance(QueuedTransport.class).close();
        }
        if (queue == QueueChoice.REDIS) {
            deleteKeys(config.redis().queue().keyPrefix());
        } else if (queue == QueueChoice.KAFKA) {
            KafkaTestTopics.deleteUnder(config.kafka().connection().bootstrapServersConfig(),
                    config.kafka().queue().topicPrefix(), config.kafka().group());
        } else if (queue == QueueChoice.RABBITMQ) {
            TestRabbit.deleteAll(config.rabbitmq().queue().names());
        }
    }

    /**
     * Deletes every key under a prefix of the test Redis (never anything else).
     *
     * @param prefix a prefix from {@link #uniquePrefix()}
     */
    static void deleteKeys(String prefix) {
        RawRedis.deleteKeysUnder(TestRedis.shared(), prefix);
    }
}
