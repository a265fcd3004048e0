package io.hexbus.spring.boot;

import io.hexbus.api.handling.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Handler beans of every kind the starter registers, each recording the orders it saw. */
@Configuration(proxyBeanMethods = false)
class OrderHandlers {

    /** Seen orders, by handler. */
    static final class Seen {
        final List<String> byMethod = new CopyOnWriteArrayList<>();
        final List<String> byExplicitMethod = new CopyOnWriteArrayList<>();
        final List<String> byClass = new CopyOnWriteArrayList<>();
        final List<String> byLambda = new CopyOnWriteArrayList<>();
    }

    /** A bean whose methods handle events. */
    static final class Shipping {
        private final Seen seen;

        Shipping(Seen seen) {
            this.seen = seen;
        }

        @HexbusHandler
        void onOrderPlaced(OrderPlaced event) {
            seen.byMethod.add(event.orderId());
        }

        @HexbusHandler(subscription = "shipping.label", maxRetries = 5, initialBackoff = "1s", timeout = "7s")
        void printLabel(OrderPlaced event) {
            seen.byExplicitMethod.add(event.orderId());
        }
    }

    /** A bean that is a handler, named after its class. */
    static final class AuditOrders implements EventHandler<OrderPlaced> {
        private final Seen seen;

        AuditOrders(Seen seen) {
            this.seen = seen;
        }

        @Override
        public void handle(OrderPlaced event) {
            seen.byClass.add(event.orderId());
        }
    }

    @Bean
    Seen seen() {
        return new Seen();
    }

    @Bean
    Shipping shipping(Seen seen) {
        return new Shipping(seen);
    }

    @Bean
    AuditOrders auditOrders(Seen seen) {
        return new AuditOrders(seen);
    }

    @Bean
    @HexbusHandler(subscription = "orders.count")
    EventHandler<OrderPlaced> countOrders(Seen seen) {
        return event -> seen.byLambda.add(event.orderId());
    }
}
