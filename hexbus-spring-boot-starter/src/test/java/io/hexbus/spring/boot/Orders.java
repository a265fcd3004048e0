package io.hexbus.spring.boot;

import io.hexbus.api.publishing.EventBus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

import javax.sql.DataSource;

/**
 * A use case in Spring transactions, as an application writes it: it saves an order with JDBC and publishes to the
 * {@link EventBus} it is given, knowing nothing of an outbox. This configuration adds what Boot's JDBC and transaction
 * auto-configuration would bring: the transaction manager over the {@link DataSource} bean the test supplies.
 */
@Configuration(proxyBeanMethods = false)
@EnableTransactionManagement
@Import(Orders.UseCase.class)
class Orders {

    /** The use case; each method a transaction, or none. */
    static class OrderService {

        private final JdbcTemplate jdbc;
        private final EventBus events;

        OrderService(JdbcTemplate jdbc, EventBus events) {
            this.jdbc = jdbc;
            this.events = events;
        }

        @Transactional
        public void place(OrderPlaced order) {
            jdbc.update("INSERT INTO starter_orders (id) VALUES (?)", order.orderId());
            events.publish(order);
        }

        @Transactional
        public void placeButPaymentIsDeclined(OrderPlaced order) {
            place(order);
            throw new IllegalStateException("payment declined for " + order.orderId());
        }

        public void placeWithoutTransaction(OrderPlaced order) {
            events.publish(order);
        }
    }

    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new DataSourceTransactionManager(dataSource);
    }

    /** The use case alone, for a context where Boot configures the DataSource and the transactions. */
    @Configuration(proxyBeanMethods = false)
    static class UseCase {

        @Bean
        OrderService orderService(DataSource dataSource, EventBus events) {
            return new OrderService(new JdbcTemplate(dataSource), events);
        }
    }
}
