package io.hexbus.spring.boot;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RateLimit;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.WorkerQueues;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code hexbus.redis.routes} and {@code hexbus.redis.workers} onto the Redis queue's named queues and worker sets,
 * and rate limits per subscription; on the shared test Redis, each test on its own keys.
 */
class RedisNamedQueuesPropertiesTest {

    private static final String ORDER_PLACED = "starter-test.order-placed";
    private static final HexbusProperties DEFAULTS = new HexbusProperties(null, null, HexbusMode.ALL, null,
            Duration.ofSeconds(5), 1, Map.of());

    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class))
            .withPropertyValues("hexbus.transport=redis", "hexbus.redis.url=" + url(),
                    "hexbus.redis.key-prefix=hexbus-starter-test-" + id + ":{domain-events}",
                    "hexbus.group=starter-test-" + id, "hexbus.shutdown-deadline=5s");

    private static String url() {
        RedisConnectionSettings redis = TestRedis.shared();
        return "redis://" + (redis.password() == null ? "" : ":" + redis.password() + "@") + redis.host() + ":"
                + redis.port() + "/" + redis.database();
    }

    private static HexbusRedisProperties redis(Map<String, String> routes, String workers) {
        return new HexbusRedisProperties(null, null, 3, null, null, null, routes, workers);
    }

    @Test
    void routesAndWorkerSetsMapOntoTheQueuesSettings() {
        HexbusRedisProperties redis = redis(Map.of(ORDER_PLACED, "mail"), "mail=3,default=1:8;default");

        RedisQueueSettings settings = HexbusRedisConfiguration.settings(DEFAULTS, redis, new MockEnvironment());
        List<WorkerQueues> sets = HexbusRedisConfiguration.workerSets(redis, settings);

        assertThat(settings.queueOf(ORDER_PLACED)).isEqualTo("mail");
        assertThat(settings.queueOf("starter-test.other")).isEqualTo("default");
        assertThat(sets).hasSize(2);
        assertThat(sets.get(0).queues()).containsExactly("mail", "default");
        assertThat(sets.get(0).weights()).containsExactly(3, 1);
        assertThat(sets.get(0).concurrency()).isEqualTo(8);
        assertThat(sets.get(1)).isEqualTo(WorkerQueues.equal(List.of("default"), 3)); // hexbus.redis.concurrency
    }

    @Test
    void withoutRoutesTheGuiceAppsVariableRoutes() {
        MockEnvironment environment = new MockEnvironment().withProperty("HEXBUS_QUEUE_ROUTES", ORDER_PLACED + "=mail");

        RedisQueueSettings settings = HexbusRedisConfiguration.settings(DEFAULTS, redis(null, null), environment);

        assertThat(settings.queues()).containsExactly("default", "mail");
        assertThat(HexbusRedisConfiguration.workerSets(redis(null, null), settings)).isEmpty();
    }

    @Test
    void eventsRoutedToANamedQueueAreHandledByItsWorkerSet() {
        runner.withUserConfiguration(OrderHandlers.class)
                .withPropertyValues("hexbus.redis.routes[" + ORDER_PLACED + "]=mail",
                        "hexbus.redis.workers=mail:2;default:1").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(HexbusWorkers.class).running()).isEqualTo(2);

                    context.getBean(EventBus.class).publish(OrderPlaced.of("q-1"));

                    OrderHandlers.Seen seen = context.getBean(OrderHandlers.Seen.class);
                    await().atMost(Duration.ofSeconds(20))
                            .untilAsserted(() -> assertThat(seen.byMethod).containsExactly("q-1"));
                });
    }

    @Test
    void aQueueNameNotAllowedFailsTheContextNamingTheRoute() {
        runner.withPropertyValues("hexbus.redis.routes[" + ORDER_PLACED + "]=Mail").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining(
                        "hexbus.redis.routes[" + ORDER_PLACED + "] is not allowed: queue name 'Mail'"));
    }

    @Test
    void aWorkerSetOverAnUnroutedQueueFailsTheContextNamingTheProperty() {
        runner.withPropertyValues("hexbus.redis.workers=export:2").run(context ->
                assertThat(context).getFailure()
                        .hasStackTraceContaining("hexbus.redis.workers='export:2' is not allowed: queue 'export'")
                        .hasStackTraceContaining("route events with hexbus.redis.routes"));
    }

    @Test
    void aBlankWorkerSetIsRefusedRatherThanStartingNoWorker() {
        assertThatThrownBy(() -> HexbusRedisConfiguration.workerSets(redis(null, " "),
                HexbusRedisConfiguration.settings(DEFAULTS, redis(null, " "), new MockEnvironment())))
                .hasMessageStartingWith("hexbus.redis.workers='' is not allowed: '' names no queue");
    }

    @Test
    void rateLimitsComeFromTheAnnotationOrTheProperties() {
        runner.withUserConfiguration(OrderHandlers.class, RateLimitedHandler.class)
                .withPropertyValues("hexbus.transport=in-memory",
                        "hexbus.subscriptions[orders.count].rate-limit=10",
                        "hexbus.subscriptions[orders.count].rate-limit-per=1m",
                        "hexbus.subscriptions[mailer.send].rate-limit=0").run(context -> {
                    DomainEventsProcessor processor = context.getBean(DomainEventsProcessor.class);
                    assertThat(processor.subscription("orders.count").orElseThrow().options().rateLimited())
                            .contains(RateLimit.of(10, Duration.ofMinutes(1)));
                    assertThat(processor.subscription("mailer.send").orElseThrow().options().rateLimited())
                            .isEmpty();
                    assertThat(processor.subscription("mailer.count").orElseThrow().options().rateLimited())
                            .contains(RateLimit.of(2, Duration.ofMillis(500)));
                    assertThat(processor.subscription("shipping.label").orElseThrow().options().rateLimited())
                            .isEmpty();
                });
    }

    @Test
    void aNegativeRateLimitFailsTheContextNamingTheProperty() {
        runner.withUserConfiguration(OrderHandlers.class)
                .withPropertyValues("hexbus.transport=in-memory", "hexbus.subscriptions[orders.count].rate-limit=-1")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageStartingWith("hexbus.subscriptions.<name>.rate-limit=-1 is not allowed"));
    }

    /** Handlers with a rate limit on their annotation. */
    static final class RateLimitedHandler {

        @HexbusHandler(subscription = "mailer.send", rateLimit = 5)
        void send(OrderPlaced event) {
            // its limit is what the test reads
        }

        @HexbusHandler(subscription = "mailer.count", rateLimit = 2, rateLimitPer = "500ms")
        void count(OrderPlaced event) {
            // its limit is what the test reads
        }
    }
}
