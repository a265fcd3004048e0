package io.hexbus.spring.boot;

import io.hexbus.api.scheduling.RecurringEvents;
import io.hexbus.api.scheduling.Schedule;
import io.hexbus.rabbitmq.RabbitQueueSettings;
import io.hexbus.rabbitmq.testing.TestRabbit;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.testing.TestRedis;
import io.hexbus.scheduling.Scheduler;
import io.hexbus.scheduling.SchedulerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Recurring events in the context: schedules contributed by beans, ticks handled by handler beans, in memory; the
 * catch-up bound on RabbitMQ's shorter dedupe window, under a prefix of its own that it deletes after.
 */
class HexbusSchedulingAutoConfigurationTest {

    private final String prefix = TestRabbit.uniquePrefix();
    private final String group = "starter-scheduling-test";
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class,
                    HexbusSchedulingAutoConfiguration.class));
    private final ApplicationContextRunner onRabbit = runner.withPropertyValues("hexbus.transport=rabbitmq",
            "hexbus.rabbitmq.url=" + TestRabbit.url(), "hexbus.rabbitmq.prefix=" + prefix, "hexbus.group=" + group,
            "hexbus.mode=api");

    @AfterEach
    void deleteWhatTheTestDeclared() {
        TestRabbit.deleteAll(RabbitQueueSettings.defaults(group).withPrefix(prefix).names());
    }

    /** A fixed-rate schedule contributed by a bean, and the handler of its ticks. */
    @Configuration(proxyBeanMethods = false)
    static class Heartbeats {

        /** Ticks handled, in order. */
        static final class Beats {
            final List<Heartbeat> handled = new CopyOnWriteArrayList<>();

            @HexbusHandler(subscription = "starter-test.count-heartbeats")
            void onHeartbeat(Heartbeat heartbeat) {
                handled.add(heartbeat);
            }
        }

        @Bean
        Beats beats() {
            return new Beats();
        }

        @Bean
        HexbusSchedules heartbeatSchedule() {
            return recurringEvents -> recurringEvents.register("starter-test.heartbeat",
                    Schedule.fixedRate(Duration.ofMillis(100)), Heartbeat::of);
        }
    }

    @Test
    void aFixedRateScheduleOfABeanPublishesTicksThatHandlerBeansHandleUntilTheContextCloses() {
        AtomicReference<HexbusScheduler> lifecycle = new AtomicReference<>();
        AtomicReference<Scheduler> scheduler = new AtomicReference<>();
        runner.withUserConfiguration(Heartbeats.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(RecurringEvents.class);
            lifecycle.set(context.getBean(HexbusScheduler.class));
            scheduler.set(context.getBean(Scheduler.class));
            assertThat(lifecycle.get().isRunning()).isTrue();
            assertThat(scheduler.get().schedules()).extracting(status -> status.name())
                    .containsExactly("starter-test.heartbeat");

            Heartbeats.Beats beats = context.getBean(Heartbeats.Beats.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> beats.handled.stream().distinct().count() >= 3);
            assertThat(beats.handled).doesNotHaveDuplicates();
        });
        assertThat(lifecycle.get().isRunning()).isFalse();
        assertThatThrownBy(() -> scheduler.get().start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void theCatchUpBoundStaysWithinHalfTheTransportsDedupeWindow() {
        runner.run(context -> assertThat(context.getBean(SchedulerSettings.class).catchUpBound())
                .isEqualTo(Duration.ofDays(1))); // in memory: 7 days
        onRabbit.run(context ->
                assertThat(context.getBean(SchedulerSettings.class).catchUpBound()).isEqualTo(Duration.ofHours(12)));
        RedisConnectionSettings redis = TestRedis.shared();
        String id = UUID.randomUUID().toString().substring(0, 8);
        runner.withPropertyValues("hexbus.transport=redis", "hexbus.mode=api", "hexbus.redis.dedupe-window=30h",
                "hexbus.redis.url=redis://" + (redis.password() == null ? "" : ":" + redis.password() + "@")
                        + redis.host() + ":" + redis.port() + "/" + redis.database(),
                "hexbus.redis.key-prefix=hexbus-starter-test-" + id + ":{domain-events}",
                "hexbus.group=starter-test-" + id).run(context ->
                assertThat(context.getBean(SchedulerSettings.class).catchUpBound()).isEqualTo(Duration.ofHours(15)));
    }

    @Test
    void aCatchUpBoundBeyondHalfTheDedupeWindowFailsTheContextNamingTheProperty() {
        onRabbit.withPropertyValues("hexbus.scheduling.catch-up-bound=13h").run(context ->
                assertThat(context).getFailure()
                        .hasStackTraceContaining("hexbus.scheduling.catch-up-bound=PT13H is not allowed"));
    }

    @Test
    void offByPropertyOrWithoutTheModule() {
        runner.withPropertyValues("hexbus.scheduling.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(RecurringEvents.class));
        runner.withClassLoader(new FilteredClassLoader(Scheduler.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(HexbusScheduler.class));
    }
}
