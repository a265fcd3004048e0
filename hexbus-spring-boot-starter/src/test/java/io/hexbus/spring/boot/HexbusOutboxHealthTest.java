package io.hexbus.spring.boot;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.outbox.testing.PostgresDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The outbox's lag on the {@code hexbus} health entry, read from the starter's relay on PostgreSQL. */
class HexbusOutboxHealthTest {

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class,
                    HexbusOutboxAutoConfiguration.class, HexbusHealthAutoConfiguration.class))
            .withBean(DataSource.class, postgres::dataSource)
            .withUserConfiguration(OrderHandlers.class);

    @Test
    @SuppressWarnings("unchecked")
    void theRunningRelaysStatusIsOnTheHealthEntry() {
        runner.run(context -> {
            TransactionTemplate transaction = new TransactionTemplate(
                    new DataSourceTransactionManager(context.getBean(DataSource.class)));
            transaction.executeWithoutResult(status -> context.getBean(EventBus.class)
                    .publish(OrderPlaced.of("health-1")));
            OrderHandlers.Seen seen = context.getBean(OrderHandlers.Seen.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.byMethod.contains("health-1"));

            Health health = context.getBean(HexbusHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat((Map<String, Object>) health.getDetails().get("outbox")).containsEntry("status", "UP")
                    .containsEntry("waiting", 0L).containsEntry("dead", 0L).containsEntry("failingSince", null);
        });
    }
}
