package io.hexbus.spring.boot;

import io.hexbus.api.handling.DomainEventsProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link HexbusEventMetrics}, a {@code MeterBinder} that Boot binds to its Micrometer registry, when Micrometer is on
 * the class path ({@code spring-boot-starter-actuator} brings it).
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
}
