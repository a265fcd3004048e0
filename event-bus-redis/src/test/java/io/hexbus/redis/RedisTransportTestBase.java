package io.hexbus.redis;

import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.redis.testing.RedisTestTransport;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/** A fresh processor and, on demand, a transport on its own key prefix of the shared test Redis. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
abstract class RedisTransportTestBase {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** Fast retries for tests: 2 retries after 200 ms and 400 ms. */
    static final SubscriptionOptions FAST_RETRIES = SubscriptionOptions.DEFAULT
            .withRetryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(200)));

    final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry().register(OrderPlaced.class));
    private final List<RedisTestTransport> transports = new ArrayList<>();

    RedisTestTransport transport() {
        return transport(settings -> settings);
    }

    RedisTestTransport transport(UnaryOperator<RedisQueueSettings> customize) {
        RedisTestTransport transport = RedisTestTransport.connect(TestRedis.shared(),
                customize.apply(RedisTestTransport.testSettings()), processor);
        transports.add(transport);
        return transport;
    }

    /** A second transport on the same prefix and group: another worker process, as far as Redis can tell. */
    RedisTestTransport sibling(RedisTestTransport first, UnaryOperator<RedisQueueSettings> customize) {
        RedisTestTransport transport = RedisTestTransport.connect(first.connection(),
                customize.apply(first.settings()), processor);
        transports.add(transport);
        return transport;
    }

    static QueueStats awaitStats(RedisTestTransport redis, java.util.function.Predicate<QueueStats> condition) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> redis.transport().admin().stats(), condition);
    }

    @AfterEach
    void closeTransports() {
        transports.forEach(RedisTestTransport::close);
    }
}
