package io.hexbus.redis;

import io.hexbus.engine.worker.EngineWorker;
import io.hexbus.api.conformance.StuckHandlers;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.redis.testing.RedisTestTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the Redis worker adds to the queued contract's retries and timeouts ({@code RedisQueuedTransportContractTest}
 * holds backoff, dead letters, per-subscription retries, statistics and handler timeouts).
 */
class RetryAndDeadLetterTest extends RedisTransportTestBase {

    @Test
    void closingDoesNotWaitForAHandlerStuckPastItsTimeoutWhoseEventIsSettled() {
        RedisTestTransport redis = transport(s -> s.withConcurrency(1).withShutdownDeadline(Duration.ofMinutes(10)));
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        registerHangingOnFirstAttempt(attempts, never);
        EngineWorker worker = redis.startWorker();
        redis.transport().eventBus().publish(OrderPlaced.of("o-1"));
        awaitStats(redis, s -> s.completed() == 1);
        try {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(worker::close);

            // The deadline is 10 minutes: returning within the wait means close() did not wait for the stuck thread.
            await().atMost(WAIT).until(closing::isDone);
            assertEquals(0, worker.inFlight());
        } finally {
            never.countDown();
        }
    }

    /**
     * Registers "hangs-once" (timeout 300 ms, one retry after 100 ms): its first attempt hangs until
     * {@code release} opens, ignoring interrupts, so only the timeout can free its slot; later attempts succeed.
     */
    private void registerHangingOnFirstAttempt(AtomicInteger attempts, CountDownLatch release) {
        processor.register(OrderPlaced.class, "hangs-once",
                StuckHandlers.<OrderPlaced>hangingOnFirstAttempt(attempts, release),
                SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(100)))
                        .withTimeout(Duration.ofMillis(300)));
    }
}
