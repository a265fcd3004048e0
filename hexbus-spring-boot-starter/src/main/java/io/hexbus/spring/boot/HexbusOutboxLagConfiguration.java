package io.hexbus.spring.boot;

import io.hexbus.outbox.OutboxMonitor;
import io.hexbus.outbox.OutboxRelay;
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
 * The outbox's lag for the health indicator, when the outbox module is on the class path: read from the context's
 * {@link OutboxRelay} (with its failing streak), else from its {@link OutboxMonitor}, at each health call; none while
 * the context holds neither.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.hexbus.outbox.OutboxStatus")
class HexbusOutboxLagConfiguration {

    /** The name of the bean the health indicator reads the outbox's lag from. */
    static final String OUTBOX_LAG = "hexbusOutboxLag";

    @Bean(OUTBOX_LAG)
    Supplier<Optional<HexbusOutboxLag>> hexbusOutboxLag(ObjectProvider<OutboxRelay> relay,
                                                         ObjectProvider<OutboxMonitor> monitor) {
        Clock clock = Clock.systemUTC();
        return () -> Optional.ofNullable(relay.getIfAvailable())
                .map(OutboxRelay::status)
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
