package io.hexbus.spring.boot;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.EventHandler;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.inmemory.InMemoryEventBus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class HexbusAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class));

    @Test
    void withoutAnySettingTheBusIsInMemory() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(EventTypeRegistry.class)
                    .hasSingleBean(DomainEventsProcessor.class).hasSingleBean(EventBus.class);
            assertThat(context.getBean(EventBus.class)).isInstanceOf(InMemoryEventBus.class);
            assertThat(context.getBean(HexbusTransportSelection.class).transport())
                    .isEqualTo(HexbusTransport.IN_MEMORY);
            assertThat(context.getBean(HexbusWorkers.class).running()).isZero();
        });
    }

    @Test
    void aWrongTransportFailsTheContextNamingTheProperty() {
        runner.withPropertyValues("hexbus.transport=kafak").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("kafak")
                        .satisfies(failure -> assertThat(messages(context)).contains("hexbus.transport")));
    }

    @Test
    void aWrongUseQueueEventBusFailsTheContextNamingIt() {
        runner.withPropertyValues("USE_QUEUE_EVENT_BUS=yes").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("USE_QUEUE_EVENT_BUS='yes' is not allowed"));
    }

    @Test
    void aWrongNumberFailsTheContextNamingTheProperty() {
        runner.withPropertyValues("hexbus.workers=0").run(context ->
                assertThat(messages(context)).contains("hexbus.workers=0 is not allowed"));
    }

    @Test
    void aTransportMissingFromTheClassPathIsNamedWithItsArtifact() {
        runner.withClassLoader(new FilteredClassLoader("io.hexbus.kafka."))
                .withPropertyValues("hexbus.transport=kafka").run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining(
                                "hexbus.transport=kafka needs io.hexbus:event-bus-kafka on the classpath"));
    }

    @Test
    void aWorkerProcessInMemoryIsRefusedNamingTheMode() {
        runner.withPropertyValues("hexbus.mode=worker").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("hexbus.mode=worker needs a queue"));
    }

    @Test
    void noneAcceptsEventsAndRunsNoHandler() {
        runner.withUserConfiguration(OrderHandlers.class).withPropertyValues("hexbus.transport=none").run(context -> {
            assertThat(context).hasNotFailed();
            PublishOutcome outcome = context.getBean(EventBus.class).publish(OrderPlaced.of("o-1"));
            assertThat(outcome).isEqualTo(PublishOutcome.PUBLISHED);
            assertThat(context.getBean(OrderHandlers.Seen.class).byMethod).isEmpty();
        });
    }

    @Test
    void handlerBeansAreRegisteredAtStartAndRemovedAtClose() {
        AtomicReference<DomainEventsProcessor> processor = new AtomicReference<>();
        runner.withUserConfiguration(OrderHandlers.class).run(context -> {
            assertThat(context).hasNotFailed();
            processor.set(context.getBean(DomainEventsProcessor.class));
            context.getBean(EventBus.class).publish(OrderPlaced.of("o-1"));

            OrderHandlers.Seen seen = context.getBean(OrderHandlers.Seen.class);
            assertThat(seen.byMethod).containsExactly("o-1");
            assertThat(seen.byExplicitMethod).containsExactly("o-1");
            assertThat(seen.byClass).containsExactly("o-1");
            assertThat(seen.byLambda).containsExactly("o-1");
            assertThat(processor.get().subscriptionsFor("starter-test.order-placed")).extracting(Subscription::name)
                    .containsExactlyInAnyOrder("shipping.onOrderPlaced", "shipping.label",
                            OrderHandlers.AuditOrders.class.getName(), "orders.count");
        });
        assertThat(processor.get().subscribedEventNames()).isEmpty();
    }

    @Test
    void optionsComeFromTheAnnotationAndPropertiesOverrideThem() {
        runner.withUserConfiguration(OrderHandlers.class)
                .withPropertyValues("hexbus.subscriptions[shipping.label].timeout=3s",
                        "hexbus.subscriptions[orders.count].max-retries=0")
                .run(context -> {
                    DomainEventsProcessor processor = context.getBean(DomainEventsProcessor.class);
                    Subscription label = processor.subscription("shipping.label").orElseThrow();
                    assertThat(label.options().timeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(label.options().retryPolicy().maxRetries()).isEqualTo(5);
                    assertThat(label.options().retryPolicy().initialBackoff()).isEqualTo(Duration.ofSeconds(1));
                    Subscription count = processor.subscription("orders.count").orElseThrow();
                    assertThat(count.options().retryPolicy().maxRetries()).isZero();
                    assertThat(count.options().timeout()).isEqualTo(Duration.ofSeconds(30));
                });
    }

    @Test
    void aDisabledSubscriptionIsNotRegistered() {
        runner.withUserConfiguration(OrderHandlers.class)
                .withPropertyValues("hexbus.subscriptions[shipping.label].enabled=false").run(context -> {
                    context.getBean(EventBus.class).publish(OrderPlaced.of("o-2"));
                    assertThat(context.getBean(OrderHandlers.Seen.class).byExplicitMethod).isEmpty();
                    assertThat(context.getBean(OrderHandlers.Seen.class).byMethod).containsExactly("o-2");
                });
    }

    @Test
    void aSubscriptionPropertyThatNamesNoHandlerFailsTheContext() {
        runner.withUserConfiguration(OrderHandlers.class)
                .withPropertyValues("hexbus.subscriptions[shiping.label].timeout=3s").run(context ->
                        assertThat(messages(context)).contains("hexbus.subscriptions[shiping.label] names no"
                                + " subscription of a handler bean"));
    }

    @Test
    void aLambdaHandlerWithoutASubscriptionNameIsRefused() {
        runner.withUserConfiguration(UnnamedLambda.class).run(context ->
                assertThat(messages(context)).contains("EventHandler bean 'unnamed' is a lambda"));
    }

    @Test
    void aMethodHandlerOnABeanWithAGeneratedNameIsRefused() {
        runner.withBean("shipping#0", OrderHandlers.Shipping.class, () -> new OrderHandlers.Shipping(new OrderHandlers.Seen())).run(context ->
                assertThat(messages(context)).contains("the bean's name was generated by Spring"));
    }

    @Test
    void theApplicationsEventTypesAreRegisteredOnce() {
        runner.withUserConfiguration(EventTypes.class).run(context ->
                assertThat(context.getBean(EventTypeRegistry.class).typeOf("starter-test.renamed"))
                        .contains(OrderPlaced.class));
    }

    private static String messages(AssertableApplicationContext context) {
        StringBuilder all = new StringBuilder();
        for (Throwable failure = context.getStartupFailure(); failure != null; failure = failure.getCause()) {
            all.append(failure.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class UnnamedLambda {
        @Bean
        EventHandler<OrderPlaced> unnamed() {
            return event -> { };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class EventTypes {
        @Bean
        HexbusEventTypes renamed() {
            return registry -> registry.register("starter-test.renamed", OrderPlaced.class);
        }
    }

}
