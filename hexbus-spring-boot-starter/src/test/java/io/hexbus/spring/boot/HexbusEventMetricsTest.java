package io.hexbus.spring.boot;

import io.hexbus.api.publishing.EventBus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class HexbusEventMetricsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class,
                    HexbusMetricsAutoConfiguration.class));

    @Test
    void aBoundRegistryCountsWhatIsPublishedAndHandled() {
        runner.withUserConfiguration(OrderHandlers.class).run(context -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(HexbusEventMetrics.class).bindTo(registry);

            context.getBean(EventBus.class).publish(OrderPlaced.of("m-1"));

            assertThat(registry.get("hexbus.events.published").tag("event", "starter-test.order-placed").counter()
                    .count()).isEqualTo(1.0);
            assertThat(registry.get("hexbus.events.consumed").tag("subscription", "shipping.label").counter()
                    .count()).isEqualTo(1.0);
            assertThat(registry.get("hexbus.handler.duration").tag("subscription", "orders.count").timer().count())
                    .isEqualTo(1);
        });
    }

    @Test
    void withoutMicrometerThereIsNoBinderAndTheContextStarts() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer.core.")).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(HexbusEventMetrics.class));
    }
}
