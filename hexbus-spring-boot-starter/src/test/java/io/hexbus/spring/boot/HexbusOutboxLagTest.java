package io.hexbus.spring.boot;

import io.hexbus.outbox.OutboxMonitor;
import io.hexbus.outbox.OutboxStatus;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox's lag on the {@code hexbus} health indicator. */
class HexbusOutboxLagTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class,
                    HexbusHealthAutoConfiguration.class));

    @Test
    void aStatusIsJudgedAsTheGuiceAppJudgesIt() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

        HexbusOutboxLag fresh = HexbusOutboxLagConfiguration.lag(new OutboxStatus(3, Duration.ofSeconds(59), 1, 0,
                Optional.empty(), Optional.of(NOW.minusSeconds(29))), clock);
        HexbusOutboxLag old = HexbusOutboxLagConfiguration.lag(new OutboxStatus(3, Duration.ofSeconds(61), 1, 0,
                Optional.empty(), Optional.empty()), clock);
        HexbusOutboxLag failing = HexbusOutboxLagConfiguration.lag(new OutboxStatus(0, Duration.ZERO, 0, 0,
                Optional.of("broker down"), Optional.of(NOW.minusSeconds(31))), clock);

        assertThat(fresh).isEqualTo(new HexbusOutboxLag(true, 3, Duration.ofSeconds(59), 1,
                Optional.of(NOW.minusSeconds(29))));
        assertThat(old.healthy()).isFalse();
        assertThat(failing.healthy()).isFalse();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theIndicatorShowsTheLagAndGoesDownWhenTheOutboxCannotForward() {
        runner.run(context -> {
            HexbusTransportSelection selection = context.getBean(HexbusTransportSelection.class);
            HexbusWorkers workers = context.getBean(HexbusWorkers.class);

            Health up = new HexbusHealthIndicator(selection, null, workers, () -> Optional.of(
                    new HexbusOutboxLag(true, 2, Duration.ofMillis(1500), 0, Optional.empty()))).health();
            Health down = new HexbusHealthIndicator(selection, null, workers, () -> Optional.of(
                    new HexbusOutboxLag(false, 40, Duration.ofSeconds(90), 0, Optional.of(NOW)))).health();

            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("transport", "in-memory");
            assertThat((Map<String, Object>) up.getDetails().get("outbox")).containsEntry("status", "UP")
                    .containsEntry("waiting", 2L).containsEntry("oldestWaitingAgeSeconds", 1.5)
                    .containsEntry("dead", 0L).containsEntry("failingSince", null);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat((Map<String, Object>) down.getDetails().get("outbox")).containsEntry("status", "DOWN")
                    .containsEntry("waiting", 40L).containsEntry("failingSince", NOW.toString());
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOutboxThatCannotBeReadIsDownWithItsError() throws IOException {
        PGSimpleDataSource unreachable = new PGSimpleDataSource();
        unreachable.setURL("jdbc:postgresql://127.0.0.1:" + closedPort() + "/hexbus?connectTimeout=2");
        runner.withBean(OutboxMonitor.class, () -> new OutboxMonitor(unreachable)).run(context -> {
            Health health = context.getBean(HexbusHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat((Map<String, Object>) health.getDetails().get("outbox")).containsEntry("status", "DOWN")
                    .hasEntrySatisfying("error", error -> assertThat(error.toString())
                            .contains("OutboxUnavailableException", "the outbox's status could not be read"));
        });
    }

    @Test
    void withoutAnOutboxTheIndicatorShowsNone() {
        runner.run(context -> assertThat(context.getBean(HexbusHealthIndicator.class).health().getDetails())
                .doesNotContainKey("outbox"));
        runner.withClassLoader(new FilteredClassLoader("io.hexbus.outbox.")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(HexbusHealthIndicator.class).health().getDetails()).doesNotContainKey("outbox");
        });
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
