package io.hexbus.spring.boot;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.rabbitmq.RabbitQueueSettings;
import io.hexbus.rabbitmq.RabbitTransport;
import io.hexbus.rabbitmq.testing.TestRabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The RabbitMQ queue chosen by property, on the test broker, under a prefix of its own that it deletes after. */
class HexbusRabbitAutoConfigurationTest {

    private final String prefix = TestRabbit.uniquePrefix();
    private final String group = "starter-test";

    @AfterEach
    void deleteWhatTheTestDeclared() {
        TestRabbit.deleteAll(RabbitQueueSettings.defaults(group).withPrefix(prefix).names());
    }

    @Test
    void theQueueNamedByThePropertyRunsTheHandlerBeansOnItsWorker() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class))
                .withUserConfiguration(OrderHandlers.class)
                .withPropertyValues("hexbus.transport=rabbitmq", "hexbus.rabbitmq.url=" + TestRabbit.url(),
                        "hexbus.rabbitmq.prefix=" + prefix, "hexbus.group=" + group, "hexbus.shutdown-deadline=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(RabbitTransport.class);
                    assertThat(context.getBean(HexbusWorkers.class).running()).isEqualTo(1);

                    context.getBean(EventBus.class).publish(OrderPlaced.of("q-1"));

                    OrderHandlers.Seen seen = context.getBean(OrderHandlers.Seen.class);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        assertThat(seen.byMethod).containsExactly("q-1");
                        assertThat(seen.byExplicitMethod).containsExactly("q-1");
                        assertThat(seen.byClass).containsExactly("q-1");
                    });
                });
    }
}
