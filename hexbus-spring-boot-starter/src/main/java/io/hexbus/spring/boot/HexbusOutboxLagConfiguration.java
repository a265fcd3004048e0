package io.hexbus.spring.boot;

import io.hexbus.outbox.OutboxMonitor;
import io.hexbus.outbox.OutboxStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The outbox's lag for the health indicator, when the outbox module is on the class path: read at each health call from
 * the context's running {@link HexbusOutboxRelay} (with its failing streak), else from an {@link OutboxMonitor} bean
 * (an instance that runs no relay); none while the context holds neither.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.hexbus.outbox.OutboxStatus")
class HexbusOutboxLagConfiguration {

    /** The name of the bean the health indicator reads the outbox's lag from. */
    static final String OUTBOX_LAG = "hexbusOutboxLag";

    @Bean(OUTBOX_LAG)
    Supplier<Optional<HexbusOutboxLag>> hexbusOutboxLag(ObjectProvider<HexbusOutboxRelay> relay,
                                                         ObjectProvider<OutboxMonitor> monitor) {
        // The relay's own clock: its failing streak is timed by it.
        Clock clock = Clock.systemUTC();
        return () -> Optional.ofNullable(relay.getIfAvailable()).filter(HexbusOutboxRelay::isRunning)
                .map(HexbusOutboxRelay::status)
                .or(() -> Optional.ofNullable(monitor.getIfAvailable()).map(OutboxMonitor::status))
                .map(status -> lag(status, clock));
    }

    /**
     * @param status what the outbox's relay or monitor read
     * @param clock  the relay's clock
     * @return its lag, judged as the Guice app judges it
     */
    static HexbusOutboxLag lag(OutboxStatus status, Clock clock) {
        boolean healthy = status.healthy(Duration.ofSeconds(HexbusOutboxLag.MAX_FAILING_SECONDS),
                Duration.ofSeconds(HexbusOutboxLag.MAX_WAITING_AGE_SECONDS), clock.instant());
        return new HexbusOutboxLag(healthy, status.waiting(), status.oldestWaitingAge(), status.dead(),
                status.failingSince());
    }
}
