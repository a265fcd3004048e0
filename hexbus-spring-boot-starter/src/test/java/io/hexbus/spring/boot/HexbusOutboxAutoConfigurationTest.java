package io.hexbus.spring.boot;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.inmemory.testing.RecordingEventBus;
import io.hexbus.outbox.NoUnitOfWorkException;
import io.hexbus.outbox.OutboxEventBus;
import io.hexbus.outbox.OutboxRelaySettings;
import io.hexbus.outbox.testing.PostgresDatabase;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The outbox inside Spring transactions, on a PostgreSQL database of this class's own. */
class HexbusOutboxAutoConfigurationTest {

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class,
                    HexbusOutboxAutoConfiguration.class))
            .withBean(DataSource.class, postgres::dataSource)
            .withUserConfiguration(Orders.class, OrderHandlers.class);

    @BeforeAll
    static void createTheApplicationsTable() {
        jdbc().execute("CREATE TABLE starter_orders (id text PRIMARY KEY)");
    }

    private static JdbcTemplate jdbc() {
        return new JdbcTemplate(postgres.dataSource());
    }

    private static int rows(String table, String column, Object value) {
        Integer count = jdbc().queryForObject("SELECT count(*) FROM " + table + " WHERE " + column + " = ?",
                Integer.class, value);
        return count == null ? 0 : count;
    }

    @Test
    void aPublishInACommittedTransactionIsWrittenToTheOutboxAndHandledAfterTheCommit() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(EventBus.class)).isInstanceOf(OutboxEventBus.class)
                    .isSameAs(context.getBean(HexbusOutboxAutoConfiguration.OUTBOX_BUS));
            assertThat(context.getBean(HexbusOutboxRelay.class).isRunning()).isTrue();
            OrderPlaced order = OrderPlaced.of("committed-" + id);

            context.getBean(Orders.OrderService.class).place(order);

            assertThat(rows("starter_orders", "id", order.orderId())).isEqualTo(1);
            assertThat(rows("hexbus_outbox", "event_id", order.eventId())).isEqualTo(1);
            OrderHandlers.Seen seen = context.getBean(OrderHandlers.Seen.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(seen.byMethod).containsExactly(order.orderId());
                assertThat(seen.byClass).containsExactly(order.orderId());
            });
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc().queryForObject(
                    "SELECT sent_at IS NOT NULL FROM hexbus_outbox WHERE event_id = ?", Boolean.class,
                    order.eventId())).isTrue());
        });
    }

    @Test
    void aPublishInARolledBackTransactionLeavesNoRowAndRunsNoHandler() {
        runner.run(context -> {
            Orders.OrderService orders = context.getBean(Orders.OrderService.class);
            OrderPlaced declined = OrderPlaced.of("declined-" + id);
            OrderPlaced later = OrderPlaced.of("later-" + id);

            assertThatThrownBy(() -> orders.placeButPaymentIsDeclined(declined))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("payment declined");
            orders.place(later);

            assertThat(rows("starter_orders", "id", declined.orderId())).isZero();
            assertThat(rows("hexbus_outbox", "event_id", declined.eventId())).isZero();
            OrderHandlers.Seen seen = context.getBean(OrderHandlers.Seen.class);
            // The relay forwards in commit order: once the later order is handled, a row of the declined one
            // would have been too.
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(seen.byMethod).contains(later.orderId()));
            assertThat(seen.byMethod).containsExactly(later.orderId());
        });
    }

    @Test
    void aPublishOutsideATransactionIsRefusedAndWritesNothing() {
        runner.run(context -> {
            OrderPlaced order = OrderPlaced.of("outside-" + id);

            assertThatThrownBy(() -> context.getBean(Orders.OrderService.class).placeWithoutTransaction(order))
                    .isInstanceOf(NoUnitOfWorkException.class)
                    .hasMessageContaining("no Spring transaction is active")
                    .hasMessageContaining("@Transactional");

            assertThat(rows("hexbus_outbox", "event_id", order.eventId())).isZero();
        });
    }

    @Test
    void aPublishInATransactionOfAnotherDatabaseIsRefusedAndWritesNothing() {
        runner.run(context -> {
            OrderPlaced order = OrderPlaced.of("elsewhere-" + id);
            // Another DataSource (same server, but Spring keys a transaction's connection by the DataSource): the
            // connection the outbox would get is in auto-commit, outside this transaction.
            TransactionTemplate otherDatabase = new TransactionTemplate(
                    new DataSourceTransactionManager(postgres.dataSource()));
            EventBus eventBus = context.getBean(EventBus.class);

            assertThatThrownBy(() -> otherDatabase.executeWithoutResult(status -> eventBus.publish(order)))
                    .isInstanceOf(NoUnitOfWorkException.class)
                    .hasMessageContaining("does not hold a connection of the outbox's DataSource");

            assertThat(rows("hexbus_outbox", "event_id", order.eventId())).isZero();
        });
    }

    @Test
    void withBootsOwnDataSourceAndTransactionsTheUseCasesBusIsTheOutbox() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                        HexbusAutoConfiguration.class, HexbusOutboxAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + postgres.jdbcUrl(),
                        "spring.datasource.hikari.maximum-pool-size=4")
                .withUserConfiguration(Orders.UseCase.class, OrderHandlers.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(EventBus.class)).isInstanceOf(OutboxEventBus.class);
                    Orders.OrderService orders = context.getBean(Orders.OrderService.class);
                    OrderPlaced declined = OrderPlaced.of("boot-declined-" + id);
                    OrderPlaced placed = OrderPlaced.of("boot-" + id);

                    assertThatThrownBy(() -> orders.placeButPaymentIsDeclined(declined))
                            .isInstanceOf(IllegalStateException.class);
                    orders.place(placed);

                    assertThat(rows("hexbus_outbox", "event_id", declined.eventId())).isZero();
                    OrderHandlers.Seen seen = context.getBean(OrderHandlers.Seen.class);
                    await().atMost(Duration.ofSeconds(20))
                            .untilAsserted(() -> assertThat(seen.byMethod).contains(placed.orderId()));
                    assertThat(seen.byMethod).containsExactly(placed.orderId());
                });
    }

    @Test
    void theRelayRunsWithTheSettingsOfTheOutboxProperties() {
        runner.withPropertyValues("hexbus.outbox.batch-size=25", "hexbus.outbox.poll-interval=2s").run(context -> {
            assertThat(context).hasNotFailed();
            HexbusOutboxRelay relay = context.getBean(HexbusOutboxRelay.class);
            assertThat(relay.isRunning()).isTrue();
            assertThat(relay.settings()).isEqualTo(OutboxRelaySettings.defaults().withBatchSize(25)
                    .withPollInterval(Duration.ofSeconds(2)));
        });
    }

    @Test
    void withTheOutboxDisabledUseCasesPublishToTheTransport() {
        runner.withPropertyValues("hexbus.outbox.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(OutboxEventBus.class)
                    .doesNotHaveBean(HexbusOutboxRelay.class);
            assertThat(context.getBean(EventBus.class)).isInstanceOf(InMemoryEventBus.class);
        });
    }

    @Test
    void withoutADataSourceThereIsNoOutbox() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class,
                        HexbusOutboxAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(OutboxEventBus.class);
                    assertThat(context.getBean(EventBus.class)).isInstanceOf(InMemoryEventBus.class);
                });
    }

    @Test
    void underRecordingTheRecorderForwardsThroughTheOutbox() {
        runner.withConfiguration(AutoConfigurations.of(HexbusRecordingAutoConfiguration.class)).run(context -> {
            assertThat(context).hasNotFailed();
            RecordingEventBus recorder = context.getBean(RecordingEventBus.class);
            assertThat(context.getBean(EventBus.class)).isSameAs(recorder);
            OrderPlaced order = OrderPlaced.of("recorded-" + id);

            context.getBean(Orders.OrderService.class).place(order);

            assertThat(recorder.events().ofType(OrderPlaced.class).single()).isEqualTo(order);
            assertThat(rows("hexbus_outbox", "event_id", order.eventId())).isEqualTo(1);
            OrderHandlers.Seen seen = context.getBean(OrderHandlers.Seen.class);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(seen.byMethod).containsExactly(order.orderId()));
        });
    }

    @Test
    void onRedisTheRelayForwardsCommittedEventsToTheQueueWhoseWorkerHandlesThem() {
        RedisConnectionSettings redis = TestRedis.shared();
        String url = "redis://" + (redis.password() == null ? "" : ":" + redis.password() + "@") + redis.host() + ":"
                + redis.port() + "/" + redis.database();
        runner.withPropertyValues("hexbus.transport=redis", "hexbus.redis.url=" + url,
                        "hexbus.redis.key-prefix=hexbus-starter-outbox-" + id + ":{domain-events}",
                        "hexbus.group=starter-outbox-" + id, "hexbus.shutdown-deadline=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(RedisTransport.class);
                    assertThat(context.getBean(EventBus.class)).isInstanceOf(OutboxEventBus.class);
                    Orders.OrderService orders = context.getBean(Orders.OrderService.class);
                    OrderPlaced declined = OrderPlaced.of("redis-declined-" + id);
                    OrderPlaced placed = OrderPlaced.of("redis-" + id);

                    assertThatThrownBy(() -> orders.placeButPaymentIsDeclined(declined))
                            .isInstanceOf(IllegalStateException.class);
                    orders.place(placed);

                    OrderHandlers.Seen seen = context.getBean(OrderHandlers.Seen.class);
                    await().atMost(Duration.ofSeconds(20))
                            .untilAsserted(() -> assertThat(seen.byMethod).contains(placed.orderId()));
                    assertThat(seen.byMethod).containsExactly(placed.orderId());
                });
    }
}
