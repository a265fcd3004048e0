package io.hexbus.spring.boot;

import io.hexbus.api.admin.QueueAdmin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link HexbusHealthIndicator}, named {@code hexbus} on the health endpoint, when the application has Boot's
 * health support ({@code spring-boot-health}, which {@code spring-boot-starter-actuator} brings); off with
 * {@code management.health.hexbus.enabled=false}. With the outbox module and an outbox relay or monitor in the
 * context, the indicator shows the outbox's lag too ({@link HexbusOutboxLagConfiguration}).
 */
@AutoConfiguration(after = HexbusAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(HexbusTransportSelection.class)
@Import(HexbusOutboxLagConfiguration.class)
public class HexbusHealthAutoConfiguration {

    /** Created by Spring. */
    public HexbusHealthAutoConfiguration() {
        // nothing to set
    }

    // Nested, so that its condition (a class of spring-boot-health) is read only once the class is known present.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("hexbus")
    static class Indicator {

        /**
         * @param selection the transport and the mode
         * @param admin     the queue's admin, if the transport is a queue
         * @param workers   the workers of this process
         * @param outbox    the outbox's lag, when the outbox module is on the class path
         * @return the indicator
         */
        @Bean
        @ConditionalOnMissingBean(name = "hexbusHealthIndicator")
        public HexbusHealthIndicator hexbusHealthIndicator(HexbusTransportSelection selection,
                                                           ObjectProvider<QueueAdmin> admin, HexbusWorkers workers,
                                                           ObjectProvider<Supplier<Optional<HexbusOutboxLag>>> outbox) {
            return new HexbusHealthIndicator(selection, admin.getIfAvailable(), workers,
                    outbox.getIfAvailable(() -> Optional::empty));
        }
    }
}
