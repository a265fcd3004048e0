package io.hexbus.spring.boot;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.testing.RedisServerProcess;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HexbusHealthIndicatorTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class,
                    HexbusHealthAutoConfiguration.class));

    @Test
    void inMemoryTheBusIsUpAndSaysSo() {
        runner.run(context -> {
            Health health = context.getBean(HexbusHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("transport", "in-memory").containsEntry("workers", 0);
        });
    }

    @Test
    void withoutBootsHealthSupportThereIsNoIndicatorAndTheContextStarts() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health.")).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(HexbusHealthIndicator.class);
        });
    }

    @Test
    void theIndicatorCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.hexbus.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(HexbusHealthIndicator.class));
    }

    @Test
    void onRedisTheLagCountsWhatIsPublishedAndNotYetTaken() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        RedisConnectionSettings redis = TestRedis.shared();
        runner.withUserConfiguration(OrderHandlers.class).withPropertyValues("hexbus.transport=redis",
                "hexbus.redis.url=redis://" + (redis.password() == null ? "" : ":" + redis.password() + "@")
                        + redis.host() + ":" + redis.port() + "/" + redis.database(),
                "hexbus.redis.key-prefix=hexbus-starter-lag-" + id + ":{domain-events}",
                "hexbus.group=starter-lag-" + id, "hexbus.mode=api").run(context -> {
                    // A publishing-only process: nothing takes the events, so they stay waiting.
                    context.getBean(EventBus.class).publish(OrderPlaced.of("lag-1"));
                    context.getBean(EventBus.class).publish(OrderPlaced.of("lag-2"));

                    Health health = context.getBean(HexbusHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("group", "starter-lag-" + id)
                            .containsEntry("waiting", 2L).containsEntry("workers", 0);
                });
    }

    @Test
    void onRedisHealthGoesDownWhenRedisStopsAndUpWhenItReturns() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (RedisServerProcess redis = TestRedis.startPrivate()) {
            runner.withPropertyValues("hexbus.transport=redis", "hexbus.redis.url=redis://127.0.0.1:" + redis.port(),
                    "hexbus.group=starter-health-" + id, "hexbus.redis.command-timeout=2s",
                    "hexbus.shutdown-deadline=5s").run(context -> {
                        HexbusHealthIndicator indicator = context.getBean(HexbusHealthIndicator.class);
                        Health up = indicator.health();
                        assertThat(up.getStatus()).isEqualTo(Status.UP);
                        assertThat(up.getDetails()).containsEntry("transport", "redis").containsEntry("workers", 1)
                                .containsEntry("waiting", 0L).containsKey("deadLettered");

                        redis.stop();
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> indicator.health().getStatus().equals(Status.DOWN));

                        redis.restart();
                        await().atMost(Duration.ofSeconds(60))
                                .until(() -> indicator.health().getStatus().equals(Status.UP));
                    });
        }
    }
}
