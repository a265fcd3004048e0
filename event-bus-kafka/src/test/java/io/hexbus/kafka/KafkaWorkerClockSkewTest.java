package io.hexbus.kafka;

import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import io.hexbus.engine.worker.EngineWorker;
import io.hexbus.kafka.testing.KafkaQueueUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Due times are the broker's, whatever a worker's clock says: a worker whose clock is an hour off reschedules an
 * event, stops, and a worker with a right clock takes the retry over; it runs after its backoff by the broker's clock
 * (here the machine's: the test broker runs on it), neither an hour early (a clock behind) nor an hour late (ahead).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaWorkerClockSkewTest {

    /** A worker's estimate of the broker's clock is off by at most half a write's round trip. */
    private static final long ESTIMATE_SLACK_MILLIS = 250;

    private final DomainEventsProcessor processor = new DomainEventsProcessor(
            new EventTypeRegistry().register(ParcelShipped.class));
    private final KafkaQueueUnderTest queue = new KafkaQueueUnderTest();

    @AfterEach
    void close() {
        queue.close();
    }

    // Behind: a backoff of 20 s waits in the 16 s tier, so a retry due at once by the wrong clock would run after
    // about 16 s, early. Ahead: due an hour late by the wrong clock, it would not run within the test's wait.
    @ParameterizedTest(name = "worker clock off by {0} s, backoff {1} s")
    @CsvSource({"-3600, 20", "3600, 8"})
    void aRetryWrittenByAWorkerWithAWrongClockRunsAfterItsBackoffByTheBrokersClock(long skewSeconds,
                                                                                   long backoffSeconds) {
        Duration backoff = Duration.ofSeconds(backoffSeconds);
        List<Long> attempts = new CopyOnWriteArrayList<>();
        processor.register(ParcelShipped.class, "flaky", (ParcelShipped e) -> {
            attempts.add(System.currentTimeMillis());
            if (attempts.size() == 1) {
                throw new IllegalStateException("first try fails");
            }
        }, SubscriptionOptions.DEFAULT.withRetryPolicy(RetryPolicy.exponential(2, backoff)));
        KafkaTransport transport = (KafkaTransport) queue.connect(processor, QueueTestSettings.DEFAULTS);
        EngineWorker skewed = transport.startWorker(Clock.offset(Clock.systemUTC(),
                Duration.ofSeconds(skewSeconds)));

        transport.eventBus().publish(ContractEvents.shipped(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> transport.admin().stats().retryScheduled() == 1);
        skewed.close();
        transport.startWorker();

        await().atMost(Duration.ofSeconds(60)).until(() -> transport.admin().stats().completed() == 1);
        assertEquals(2, attempts.size());
        long waited = attempts.get(1) - attempts.get(0);
        assertTrue(waited >= backoff.toMillis() - ESTIMATE_SLACK_MILLIS,
                "the retry ran " + waited + " ms after the first attempt, before its backoff of " + backoff);
    }
}
