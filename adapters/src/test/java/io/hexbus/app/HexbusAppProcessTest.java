package io.hexbus.app;

import io.hexbus.adapters.guice.RedisTransportSettings;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.kafka.testing.KafkaTestTopics;
import io.hexbus.rabbitmq.RabbitNames;
import io.hexbus.rabbitmq.testing.TestRabbit;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The app as a user runs it: a child JVM with an environment, its exit code and its log. Queued runs use the
 * shared test Redis, each on a key prefix of its own that the test deletes afterwards.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HexbusAppProcessTest {

    private static final Duration START = Duration.ofSeconds(60);

    private final List<ChildApp> children = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();

    private ChildApp start(Class<?> main, Map<String, String> environment) throws IOException {
        ChildApp child = ChildApp.start(main, environment);
        children.add(child);
        return child;
    }

    private Map<String, String> queued(Map<String, String> environment) {
        Map<String, String> env = WiredApp.queuedEnvironment(environment);
        prefixes.add(env.get("HEXBUS_KEY_PREFIX"));
        return env;
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (ChildApp child : children) {
            child.close();
        }
        prefixes.forEach(WiredApp::deleteKeys);
    }

    @Test
    void aBadVariableStopsTheAppWithExitCode2AndAMessageNamingTheVariableAndTheAllowedValues() throws Exception {
        ChildApp app = start(HexbusApp.class, Map.of("USE_QUEUE_EVENT_BUS", "maybe"));

        assertEquals(2, app.awaitExit(START), app::output);
        assertTrue(app.indexOf("Configuration error: USE_QUEUE_EVENT_BUS='maybe' is not allowed: use true (a queue,"
                + " which HEXBUS_TRANSPORT names) or false (in-memory, the default)") >= 0, app::output);
    }

    @Test
    void aTypoInANameIsNeverSilentAnUnknownFileKeyIsExitCode2AndANearMissInTheEnvironmentAWarning(
            @TempDir Path directory) throws Exception {
        Path file = directory.resolve("hexbus.properties");
        Files.writeString(file, "USE_QUEUE_EVENT_BUSS=true\n");
        ChildApp app = start(HexbusApp.class, Map.of("USE_QUEUE_EVENTBUS", "true",
                "HEXBUS_CONFIG_FILE", file.toString()));

        assertEquals(2, app.awaitExit(START), app::output);
        assertTrue(app.indexOf("WARN HexbusApp - Environment variable USE_QUEUE_EVENTBUS is not one this app reads,"
                + " so it is ignored: did you mean USE_QUEUE_EVENT_BUS?") >= 0, app::output);
        List<String> errors = app.lines().stream().filter(line -> line.contains("ERROR")).toList();
        assertEquals(List.of("ERROR HexbusApp - Configuration error: HEXBUS_CONFIG_FILE='" + file + "' has an unknown"
                + " key USE_QUEUE_EVENT_BUSS (nearest known key: USE_QUEUE_EVENT_BUS): fix or remove it (the names"
                + " are those of the environment variables; see docs/running.md)"),
                errors.stream().map(line -> line.substring(line.indexOf("ERROR"))).toList(), app::output);
    }

    @Test
    void anUnreachableRedisInQueuedModeIsAOneLineStartUpErrorWithExitCode2() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ChildApp app = start(HexbusApp.class, Map.of("USE_QUEUE_EVENT_BUS", "true",
                "REDIS_URL", "redis://127.0.0.1:" + closedPort));

        assertEquals(2, app.awaitExit(START), app::output);
        assertTrue(app.indexOf("Cannot start: cannot use Redis at redis://127.0.0.1:" + closedPort + "/0") >= 0,
                app::output);
        assertTrue(app.lines().stream().noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception in")),
                () -> "no stack trace:\n" + app.output());
    }

    @Test
    void aDisabledSubscriptionIsLoggedAsSuchAndNeverRunsWhileTheOthersDo() throws Exception {
        ChildApp app = start(HexbusApp.class, Map.of("HEXBUS_DISABLED_SUBSCRIPTIONS",
                "notifications.send-welcome-email"));

        assertEquals(0, app.awaitExit(START), app::output);
        assertTrue(app.indexOf("Subscription notifications.send-welcome-email on identity.welcome-email-requested:"
                + " disabled") >= 0, app::output);
        assertTrue(app.indexOf("Subscription notifications.send-verification-email on"
                + " identity.verification-email-requested: registered") >= 0, app::output);
        assertEquals(-1, app.indexOf("Welcome, Ada"), app::output);
        assertTrue(app.indexOf("to ada@example.com: Confirm your email address") >= 0, app::output);
        assertEquals(-1, app.indexOf(" retries, timeout "), () -> "in memory there are neither:\n" + app.output());
    }

    @Test
    void sigtermWhileAHandlerRunsLetsItFinishThenExitsZero() throws Exception {
        Map<String, String> env = queued(Map.of("HEXBUS_MODE", "all", SlowHandlerApp.MILLIS, "2000",
                "HEXBUS_SHUTDOWN_DEADLINE_SECONDS", "30"));
        ChildApp app = start(SlowHandlerApp.class, env);
        int started = app.awaitLine(SlowHandlerApp.STARTED, START);

        app.sigterm();

        assertEquals(0, app.awaitExit(START), app::output);
        int shuttingDown = app.indexOf("Shutting down: taking no new events");
        int finished = app.indexOf(SlowHandlerApp.FINISHED);
        assertTrue(started < shuttingDown && shuttingDown < finished, app::output);
        assertTrue(finished < app.indexOf("Stopped (exit code 0)"), app::output);
        QueueStats stats = statsOf(env);
        assertEquals(0, stats.active(), () -> "nothing left in flight: " + stats + "\n" + app.output());
        assertEquals(0, stats.reserved(), () -> "nothing left in flight: " + stats + "\n" + app.output());
        assertEquals(0, stats.deadLettered(), stats::toString);
    }

    @Test
    void aHandlerStillRunningAtTheDeadlineIsLeftPendingForAnotherWorkerAndTheAppStillExitsZero() throws Exception {
        Map<String, String> env = queued(Map.of("HEXBUS_MODE", "all", SlowHandlerApp.MILLIS, "120000",
                "HEXBUS_SHUTDOWN_DEADLINE_SECONDS", "1"));
        ChildApp app = start(SlowHandlerApp.class, env);
        app.awaitLine(SlowHandlerApp.STARTED, START);

        app.sigterm();

        assertEquals(0, app.awaitExit(START), app::output);
        assertEquals(-1, app.indexOf(SlowHandlerApp.FINISHED), app::output);
        assertTrue(app.indexOf("left pending for another worker") >= 0, app::output);
        QueueStats stats = statsOf(env);
        // Its worker is gone, so no handler runs: the event is held (reserved) until another worker takes it over.
        assertTrue(stats.reserved() >= 1, () -> "the slow handler's event is still pending: " + stats);
        assertEquals(0, stats.active(), () -> "the stopped worker withdrew its running count: " + stats);
    }

    @Test
    void theNoneTransportRunsTheWholeAppDeliveringNothingUntilSigterm() throws Exception {
        ChildApp app = start(HexbusApp.class, Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "none"));
        app.awaitLine("Consuming from the none transport, which delivers nothing", START);

        app.sigterm();

        assertEquals(0, app.awaitExit(START), app::output);
        assertTrue(app.indexOf("Transport: none (USE_QUEUE_EVENT_BUS=true, HEXBUS_TRANSPORT=none)") >= 0, app::output);
        assertTrue(app.indexOf("subscription(s) registered, 0 disabled; the transport delivers nothing") >= 0,
                app::output);
        assertEquals(-1, app.indexOf("Mail not sent"), () -> "no mail handler ran:\n" + app.output());
        assertTrue(app.indexOf("Stopped (exit code 0)") >= 0, app::output);
    }

    @Test
    void onKafkaTheAppRunsTheTourThroughItsWorkerAndStopsCleanlyOnSigterm() throws Exception {
        Map<String, String> env = WiredApp.kafkaEnvironment(Map.of());
        try {
            ChildApp app = start(HexbusApp.class, env);
            app.awaitLine("to ada@example.com: Confirm your email address", START);
            app.awaitLine("Consuming from group 'hexbus-sample' (Kafka consumer group "
                    + env.get("HEXBUS_KAFKA_TOPIC_PREFIX") + ".hexbus-sample)", START);

            app.sigterm();

            assertEquals(0, app.awaitExit(START), app::output);
            assertTrue(app.indexOf("Transport: Kafka queue (USE_QUEUE_EVENT_BUS=true, HEXBUS_TRANSPORT=kafka) at "
                    + env.get("KAFKA_BOOTSTRAP_SERVERS") + " (PLAINTEXT), group 'hexbus-sample'") >= 0, app::output);
            assertTrue(app.indexOf("this process's workers run them") >= 0, app::output);
            assertTrue(app.indexOf("Stopped (exit code 0)") >= 0, app::output);
        } finally {
            for (ChildApp child : children) {
                child.close();
            }
            KafkaTestTopics.deleteUnder(env.get("KAFKA_BOOTSTRAP_SERVERS"), env.get("HEXBUS_KAFKA_TOPIC_PREFIX"),
                    RedisTransportSettings.DEFAULT_GROUP);
        }
    }

    @Test
    void onRabbitTheAppRunsTheTourThroughItsWorkerAndStopsCleanlyOnSigterm() throws Exception {
        Map<String, String> env = WiredApp.rabbitEnvironment(Map.of());
        String prefix = env.get("HEXBUS_RABBITMQ_PREFIX");
        try {
            ChildApp app = start(HexbusApp.class, env);
            app.awaitLine("to ada@example.com: Confirm your email address", START);
            app.awaitLine("Consuming from group 'hexbus-sample' (RabbitMQ queue " + prefix + ".hexbus-sample)", START);

            app.sigterm();

            assertEquals(0, app.awaitExit(START), app::output);
            assertTrue(app.indexOf("Transport: RabbitMQ queue (USE_QUEUE_EVENT_BUS=true, HEXBUS_TRANSPORT=rabbitmq)"
                    + " at amqp://") >= 0, app::output);
            assertTrue(app.indexOf("group 'hexbus-sample', queue " + prefix + ".hexbus-sample") >= 0, app::output);
            assertTrue(app.indexOf("this process's workers run them") >= 0, app::output);
            assertTrue(app.indexOf("Stopped (exit code 0)") >= 0, app::output);
        } finally {
            for (ChildApp child : children) {
                child.close();
            }
            TestRabbit.deleteAll(new RabbitNames(prefix, RedisTransportSettings.DEFAULT_GROUP));
        }
    }

    @Test
    void anUnknownTransportNameStopsTheAppWithExitCode2NamingTheVariable() throws Exception {
        ChildApp app = start(HexbusApp.class, Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "kafak"));

        assertEquals(2, app.awaitExit(START), app::output);
        assertTrue(app.indexOf("Configuration error: HEXBUS_TRANSPORT='kafak' is not allowed: use redis") >= 0,
                app::output);
    }

    @Test
    void apiModePublishesTheTourAndExitsWhileAWorkerElsewhereHandlesItsEvents() throws Exception {
        Map<String, String> env = queued(Map.of("HEXBUS_MODE", "api"));
        ChildApp api = start(HexbusApp.class, env);

        assertEquals(0, api.awaitExit(START), api::output);
        assertTrue(api.indexOf("Published the tour's events") >= 0, api::output);
        assertEquals(-1, api.indexOf("Worker "), () -> "no worker in api mode:\n" + api.output());
        assertEquals(-1, api.indexOf("Subscription "), () -> "no handler runs here, no line for each:\n" + api.output());
        assertTrue(api.indexOf("subscription(s) registered, 0 disabled; this process only publishes") >= 0,
                api::output);

        Map<String, String> worker = new HashMap<>(env);
        worker.put("HEXBUS_MODE", "worker");
        try (WiredApp elsewhere = WiredApp.queued(worker)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> elsewhere.sample().auditLog.entries().size() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                QueueStats stats = elsewhere.injector.getInstance(QueueAdmin.class).stats();
                return stats.waiting() == 0 && stats.active() == 0 && stats.reserved() == 0
                        && stats.completed() == 10;
            });
        }
    }

    private static QueueStats statsOf(Map<String, String> env) {
        RedisQueueSettings settings = RedisQueueSettings.defaults(RedisTransportSettings.DEFAULT_GROUP)
                .withKeyPrefix(env.get("HEXBUS_KEY_PREFIX"));
        try (RedisTransport redis = RedisTransport.connect(RedisConnectionSettings.fromUrl(env.get("REDIS_URL")),
                settings, new DomainEventsProcessor(new EventTypeRegistry()))) {
            return redis.admin().stats();
        }
    }
}
