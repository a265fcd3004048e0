package io.hexbus.spring.boot;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Redis queue chosen by property or by USE_QUEUE_EVENT_BUS, on the shared test Redis, each test on its own keys. */
class HexbusRedisAutoConfigurationTest {

    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class))
            .withPropertyValues("hexbus.redis.key-prefix=hexbus-starter-test-" + id + ":{domain-events}",
                    "hexbus.group=starter-test-" + id, "hexbus.shutdown-deadline=5s");

    private static String url() {
        RedisConnectionSettings redis = TestRedis.shared();
        return "redis://" + (redis.password() == null ? "" : ":" + redis.password() + "@") + redis.host() + ":"
                + redis.port() + "/" + redis.database();
    }

    @Test
    void theQueueNamedByThePropertyRunsTheHandlerBeansOnItsWorker() {
        AtomicReference<HexbusWorkers> workers = new AtomicReference<>();
        runner.withUserConfiguration(OrderHandlers.class)
                .withPropertyValues("hexbus.transport=redis", "hexbus.redis.url=" + url()).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(RedisTransport.class);
                    assertThat(context.getBean(EventBus.class))
                            .isSameAs(context.getBean(RedisTransport.class).eventBus());
                    workers.set(context.getBean(HexbusWorkers.class));
                    assertThat(workers.get().running()).isEqualTo(1);

                    context.getBean(EventBus.class).publish(OrderPlaced.of("r-1"));

                    OrderHandlers.Seen seen = context.getBean(OrderHandlers.Seen.class);
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        assertThat(seen.byMethod).containsExactly("r-1");
                        assertThat(seen.byClass).containsExactly("r-1");
                        assertThat(seen.byLambda).containsExactly("r-1");
                    });
                });
        assertThat(workers.get().running()).isZero();
        assertThat(workers.get().isRunning()).isFalse();
    }

    @Test
    void useQueueEventBusSelectsRedisWhereRedisUrlSays() {
        runner.withPropertyValues("USE_QUEUE_EVENT_BUS=true", "REDIS_URL=" + url()).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(RedisTransport.class);
            assertThat(context.getBean(HexbusTransportSelection.class).source())
                    .isEqualTo("USE_QUEUE_EVENT_BUS=true with hexbus.queue=redis (the default)");
        });
    }

    @Test
    void aPublishOnlyProcessStartsNoWorker() {
        runner.withPropertyValues("hexbus.transport=redis", "hexbus.redis.url=" + url(), "hexbus.mode=api")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(HexbusWorkers.class).running()).isZero();
                });
    }

    @Test
    void aProcessStartsTheWorkersItIsAskedFor() {
        runner.withPropertyValues("hexbus.transport=redis", "hexbus.redis.url=" + url(), "hexbus.workers=2",
                "hexbus.mode=worker").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(HexbusWorkers.class).running()).isEqualTo(2);
                });
    }

    @Test
    void aKeyPrefixRedisRefusesFailsTheContextNamingTheProperty() {
        runner.withPropertyValues("hexbus.transport=redis", "hexbus.redis.url=" + url(),
                "hexbus.redis.key-prefix=no-hash-tag").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("no-hash-tag")
                        .satisfies(failure -> assertThat(context.getStartupFailure())
                                .hasStackTraceContaining("hexbus.redis.key-prefix is not allowed")));
    }
}
