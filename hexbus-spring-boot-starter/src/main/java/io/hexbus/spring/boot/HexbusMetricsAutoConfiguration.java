package io.hexbus.spring.boot;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.micrometer.QueueMeters;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.time.Clock;

/**
 * The bus's meters on Boot's Micrometer registry when Micrometer is on the class path
 * ({@code spring-boot-starter-actuator} brings it): {@link HexbusEventMetrics}, and with a queue (a
 * {@link QueueAdmin} bean: {@code hexbus.transport} {@code redis}, {@code kafka}, {@code rabbitmq} or {@code none}, or
 * the application's own) {@link QueueMeters}, its {@code hexbus.queue.*} and {@code hexbus.subscription.*} meters.
 * Both are {@code MeterBinder}s that Boot binds to its registry, with the names of the Guice app's {@code /metrics}.
 */
@AutoConfiguration(after = HexbusAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(DomainEventsProcessor.class)
public class HexbusMetricsAutoConfiguration {

    /** Created by Spring. */
    public HexbusMetricsAutoConfiguration() {
        // nothing to set
    }

    /**
     * @param processor the processor whose transports report to the meters
     * @return the binder
     */
    @Bean
    @ConditionalOnMissingBean
    public HexbusEventMetrics hexbusEventMetrics(DomainEventsProcessor processor) {
        return new HexbusEventMetrics(processor);
    }

    /**
     * The queue's meters; binding them reads the queue's statistics once for the group, and a queue that cannot be
     * reached then does not stop the application: the meters carry the configured group and read NaN until it
     * answers (the health entry says DOWN meanwhile).
     *
     * @param admin       the queue's admin port
     * @param properties  {@code hexbus.*}, for the configured group
     * @param environment where the group falls back to {@code spring.application.name}
     * @return the binder; each scrape reads the queue at most once a second
     */
    @Bean
    @ConditionalOnSingleCandidate(QueueAdmin.class)
    @ConditionalOnMissingBean
    public QueueMeters hexbusQueueMeters(QueueAdmin admin, HexbusProperties properties, Environment environment) {
        return new QueueMeters(admin, Clock.systemUTC(), PropertyChecks.group(properties, environment));
    }
}
