package io.hexbus.spring.boot;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.scheduling.RecurringEvents;
import io.hexbus.scheduling.Scheduler;
import io.hexbus.scheduling.SchedulerSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.time.Clock;
import java.time.Duration;

/**
 * Recurring events, with {@code event-bus-scheduling} on the class path and {@code hexbus.scheduling.enabled} not
 * {@code false}: one {@link Scheduler}, the {@link RecurringEvents} port beans register with, and
 * {@link HexbusScheduler}, which registers the {@link HexbusSchedules} beans and runs it with the context.
 *
 * <p>The scheduler publishes to the transport's bus ({@value HexbusAutoConfiguration#TRANSPORT_BUS}), never to the
 * outbox even when use cases publish there: a tick has no business transaction to commit with, and its id, derived
 * from the schedule and the tick, already makes every instance's publication one event. That holds only within the
 * transport's dedupe window, so the catch-up bound is kept within half of it, as in the Guice app.
 */
@AutoConfiguration(after = HexbusAutoConfiguration.class)
@ConditionalOnClass(name = "io.hexbus.scheduling.Scheduler")
@ConditionalOnBooleanProperty(name = "hexbus.scheduling.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HexbusSchedulingProperties.class)
public class HexbusSchedulingAutoConfiguration {

    /** Created by Spring. */
    public HexbusSchedulingAutoConfiguration() {
        // nothing to set
    }

    /**
     * @param transportBus the transport's bus
     * @param settings     the scheduler's settings
     * @return the scheduler, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Scheduler hexbusScheduler(@Qualifier(HexbusAutoConfiguration.TRANSPORT_BUS) EventBus transportBus,
                                     SchedulerSettings settings) {
        return new Scheduler(transportBus, Clock.systemUTC(), settings);
    }

    /**
     * @param scheduling  {@code hexbus.scheduling.*}
     * @param selection   the transport
     * @param properties  {@code hexbus.*}
     * @param environment where the transports' variables are read
     * @param redis       {@code hexbus.redis.*}, when Redis is the transport
     * @param kafka       {@code hexbus.kafka.*}, when Kafka is the transport
     * @param rabbit      {@code hexbus.rabbitmq.*}, when RabbitMQ is the transport
     * @return the defaults, with the catch-up bound within half the transport's dedupe window
     * @throws IllegalArgumentException naming {@code hexbus.scheduling.catch-up-bound} when it is beyond that
     */
    @Bean
    @ConditionalOnMissingBean
    public SchedulerSettings hexbusSchedulerSettings(HexbusSchedulingProperties scheduling,
                                                     HexbusTransportSelection selection, HexbusProperties properties,
                                                     Environment environment,
                                                     ObjectProvider<HexbusRedisProperties> redis,
                                                     ObjectProvider<HexbusKafkaProperties> kafka,
                                                     ObjectProvider<HexbusRabbitProperties> rabbit) {
        Duration window = TransportDedupeWindow.of(selection, properties, environment, redis, kafka, rabbit);
        SchedulerSettings defaults = SchedulerSettings.defaults();
        if (scheduling.catchUpBound() == null) {
            return defaults.withinDedupeWindow(window);
        }
        if (scheduling.catchUpBound().compareTo(window.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("hexbus.scheduling.catch-up-bound=" + scheduling.catchUpBound()
                    + " is not allowed: keep it within half the dedupe window of hexbus.transport="
                    + selection.transport().value() + " (" + window + "), so that a missed tick every instance"
                    + " publishes again at its start is still one event");
        }
        return defaults.withCatchUpBound(scheduling.catchUpBound());
    }

    /**
     * @param scheduler the scheduler
     * @param schedules what the application registers
     * @return the scheduler's lifecycle in the context
     */
    @Bean
    @ConditionalOnMissingBean
    public HexbusScheduler hexbusSchedulerLifecycle(Scheduler scheduler, ObjectProvider<HexbusSchedules> schedules) {
        return new HexbusScheduler(scheduler, schedules);
    }
}
