package io.hexbus.spring.boot;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.micrometer.QueueMeters;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue's meters ({@link QueueMeters}) on a Boot context: present with a queue, absent in memory. */
class HexbusQueueMetersTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class,
                    HexbusMetricsAutoConfiguration.class))
            .withUserConfiguration(OrderHandlers.class);

    @Test
    void inMemoryThereIsNoQueueSoNoQueueMeters() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(QueueAdmin.class).doesNotHaveBean(QueueMeters.class);
            SimpleMeterRegistry registry = bindEveryBinder(context.getBeansOfType(MeterBinder.class).values());

            assertThat(registry.find("hexbus.queue.waiting").gauge()).isNull();
            assertThat(registry.find("hexbus.subscription.handled").functionCounter()).isNull();
        });
    }

    @Test
    void withAQueueTheBindersGiveItsGaugesTaggedByGroupAndItsSubscriptions() {
        runner.withPropertyValues("hexbus.transport=none").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(QueueMeters.class);
            SimpleMeterRegistry registry = bindEveryBinder(context.getBeansOfType(MeterBinder.class).values());

            context.getBean(EventBus.class).publish(OrderPlaced.of("m-1"));

            // The no-delivery queue handles nothing here: the event is unhandled, and its statistics say so.
            assertThat(registry.get("hexbus.queue.unhandled").tag("group", "none").functionCounter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("hexbus.queue.waiting").tag("group", "none").gauge().value()).isEqualTo(0.0);
            assertThat(registry.get("hexbus.events.unhandled").tag("event", "starter-test.order-placed").counter()
                    .count()).isEqualTo(1.0);
        });
    }

    @Test
    void withoutMicrometerThereAreNoQueueMetersAndTheContextStarts() {
        runner.withPropertyValues("hexbus.transport=none")
                .withClassLoader(new FilteredClassLoader("io.micrometer.core.")).run(context ->
                        assertThat(context).hasNotFailed().hasSingleBean(QueueAdmin.class)
                                .doesNotHaveBean(QueueMeters.class));
    }

    private static SimpleMeterRegistry bindEveryBinder(Iterable<MeterBinder> binders) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        binders.forEach(binder -> binder.bindTo(registry));
        return registry;
    }
}
