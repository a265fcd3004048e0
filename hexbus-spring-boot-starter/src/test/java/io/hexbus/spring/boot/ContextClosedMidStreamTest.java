package io.hexbus.spring.boot;

import io.hexbus.api.handling.EventHandler;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A context closed while its worker runs a handler lets that handler finish, and leaves the events it did not take
 * on the queue, where the next context of the same group handles them: nothing is lost on a normal stop.
 */
class ContextClosedMidStreamTest {

    private static final int EVENTS = 20;

    /** Handles orders, holding the first one until released; shared by both contexts. */
    static final class SlowOrders implements EventHandler<OrderPlaced> {
        final Set<String> handled = ConcurrentHashMap.newKeySet();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void handle(OrderPlaced event) throws InterruptedException {
            started.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            handled.add(event.orderId());
        }
    }

    @Test
    void theInFlightHandlerFinishesAndTheNextContextHandlesTheRest() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        RedisConnectionSettings redis = TestRedis.shared();
        SlowOrders orders = new SlowOrders();
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HexbusAutoConfiguration.class))
                .withBean("slowOrders", SlowOrders.class, () -> orders)
                .withPropertyValues("hexbus.transport=redis",
                        "hexbus.redis.url=redis://" + redis.host() + ":" + redis.port() + "/" + redis.database(),
                        "hexbus.redis.key-prefix=hexbus-starter-stop-" + id + ":{domain-events}",
                        "hexbus.redis.concurrency=1", "hexbus.group=starter-stop-" + id,
                        "hexbus.shutdown-deadline=20s");
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(i -> "order-" + i).toList();

        runner.run(first -> {
            ids.forEach(order -> first.getBean(EventBus.class).publish(OrderPlaced.of(order)));
            assertThat(orders.started.await(20, TimeUnit.SECONDS)).isTrue();

            HexbusWorkers workers = first.getBean(HexbusWorkers.class);
            Thread closing = new Thread(first::close, "closing-first-context");
            closing.start();
            // The stop has begun (the workers take nothing more) while the handler still runs: now let it finish.
            await().atMost(Duration.ofSeconds(20)).until(() -> !workers.isRunning());
            orders.release.countDown();
            closing.join(TimeUnit.SECONDS.toMillis(40));
            assertThat(closing.isAlive()).isFalse();
        });
        Set<String> handledByFirst = new HashSet<>(orders.handled);
        assertThat(handledByFirst).isNotEmpty();

        runner.run(second -> await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(orders.handled).containsExactlyInAnyOrderElementsOf(ids)));
    }
}
