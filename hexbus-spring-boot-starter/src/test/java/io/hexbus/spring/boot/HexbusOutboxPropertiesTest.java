package io.hexbus.spring.boot;

import io.hexbus.outbox.OutboxRelaySettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hexbus.outbox.*} bound by Boot and mapped onto {@link OutboxRelaySettings}, without a database. */
class HexbusOutboxPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(OutboxPropertiesOnly.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(HexbusOutboxProperties.class)
    static class OutboxPropertiesOnly {
    }

    @Test
    void unsetTheRelayRunsWithTheRecordsDefaults() {
        runner.run(context -> {
            HexbusOutboxProperties properties = context.getBean(HexbusOutboxProperties.class);
            assertThat(properties.enabled()).isTrue();
            assertThat(properties.migrate()).isTrue();
            assertThat(properties.relaySettings()).isEqualTo(OutboxRelaySettings.defaults());
        });
    }

    @Test
    void eachPropertySetOverridesItsSettingAndOnlyIt() {
        runner.withPropertyValues("hexbus.outbox.batch-size=50", "hexbus.outbox.poll-interval=250ms",
                "hexbus.outbox.min-backoff=1s", "hexbus.outbox.max-backoff=2m", "hexbus.outbox.retention=3d",
                "hexbus.outbox.cleanup-interval=5m", "hexbus.outbox.stop-timeout=20s").run(context -> {
                    OutboxRelaySettings settings = context.getBean(HexbusOutboxProperties.class).relaySettings();

                    assertThat(settings).isEqualTo(new OutboxRelaySettings(OutboxRelaySettings.defaults().name(), 50,
                            Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMinutes(2),
                            Duration.ofDays(3), Duration.ofMinutes(5), Duration.ofSeconds(20)));
                });
        runner.withPropertyValues("hexbus.outbox.retention=1d").run(context ->
                assertThat(context.getBean(HexbusOutboxProperties.class).relaySettings())
                        .isEqualTo(OutboxRelaySettings.defaults().withRetention(Duration.ofDays(1))));
    }

    @Test
    void aValueOutOfBoundsFailsTheContextNamingItsProperty() {
        assertRefused("hexbus.outbox.batch-size=0", "hexbus.outbox.batch-size=0 is not allowed: use 1 to 10000");
        assertRefused("hexbus.outbox.batch-size=10001", "hexbus.outbox.batch-size=10001 is not allowed");
        assertRefused("hexbus.outbox.poll-interval=0s", "hexbus.outbox.poll-interval=PT0S is not allowed");
        assertRefused("hexbus.outbox.min-backoff=-1s", "hexbus.outbox.min-backoff=PT-1S is not allowed");
        assertRefused("hexbus.outbox.max-backoff=0s", "hexbus.outbox.max-backoff=PT0S is not allowed");
        assertRefused("hexbus.outbox.retention=0s", "hexbus.outbox.retention=PT0S is not allowed");
        assertRefused("hexbus.outbox.cleanup-interval=0s", "hexbus.outbox.cleanup-interval=PT0S is not allowed");
        assertRefused("hexbus.outbox.stop-timeout=0s", "hexbus.outbox.stop-timeout=PT0S is not allowed");
    }

    @Test
    void backoffsThatCrossNameThePropertySetAgainstTheOthersValue() {
        assertRefused("hexbus.outbox.max-backoff=50ms",
                "hexbus.outbox.max-backoff=PT0.05S is not allowed: use at least hexbus.outbox.min-backoff (PT0.1S)");
        assertRefused("hexbus.outbox.min-backoff=1m",
                "hexbus.outbox.min-backoff=PT1M is not allowed: use at most hexbus.outbox.max-backoff (PT30S by"
                        + " default)");
        runner.withPropertyValues("hexbus.outbox.min-backoff=1m", "hexbus.outbox.max-backoff=5m").run(context ->
                assertThat(context.getBean(HexbusOutboxProperties.class).relaySettings().minBackoff())
                        .isEqualTo(Duration.ofMinutes(1)));
    }

    private void assertRefused(String property, String message) {
        runner.withPropertyValues(property).run(context ->
                assertThat(context).getFailure().rootCause().isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith(message));
    }
}
