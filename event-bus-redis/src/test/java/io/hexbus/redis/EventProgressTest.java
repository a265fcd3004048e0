package io.hexbus.redis;

import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.EventProgress.State;
import io.hexbus.api.admin.EventProgress.SubscriptionProgress;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.handling.NonRetryableException;
import io.hexbus.api.publishing.PublishOptions;
import io.hexbus.engine.worker.EngineWorker;
import io.hexbus.redis.testing.RedisTestTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** eventProgress on Redis where the contract does not look: delayed events and retried dead letters. */
class EventProgressTest extends RedisTransportTestBase {

    @Test
    void aDelayedEventIsWaitingWithItsDueTimeUntilDueAndIsFoundInTheStreamOnceReleased() {
        RedisTestTransport redis = transport();
        processor.register(OrderPlaced.class, "orders", (OrderPlaced e) -> {
        });
        processor.register(OrderPlaced.class, "audit", (OrderPlaced e) -> {
        });
        QueueAdmin admin = redis.transport().admin();
        OrderPlaced later = OrderPlaced.of("o-1");
        redis.transport().eventBus().publish(later, PublishOptions.deliverAfter(Duration.ofMillis(500)));

        // No worker runs, so nothing releases it: it waits in the scheduled set however long this takes.
        EventProgress waiting = admin.eventProgress(later.eventId()).orElseThrow();
        assertEquals(OrderPlaced.NAME, waiting.eventName());
        assertEquals(Map.of("orders", State.WAITING, "audit", State.WAITING), states(waiting));
        Double due = redis.raw().zscore(redis.settings().keyPrefix() + ":scheduled", later.eventId().toString());
        assertEquals(Set.of(Optional.of(Instant.ofEpochMilli(due.longValue()))), waiting.subscriptions().stream()
                .map(SubscriptionProgress::nextAttemptAt).collect(Collectors.toSet()),
                "each subscription's next attempt is the event's due time");

        redis.startWorker();
        await().atMost(WAIT).until(() -> states(admin.eventProgress(later.eventId()).orElseThrow()),
                s -> s.equals(Map.of("orders", State.DONE, "audit", State.DONE)));
    }

    @Test
    void aRetriedDeadLetterWaitsForItsFailedSubscriptionOnlyThenIsDone() {
        RedisTestTransport redis = transport();
        AtomicBoolean fixed = new AtomicBoolean();
        processor.register(OrderPlaced.class, "orders", (OrderPlaced e) -> {
        });
        processor.register(OrderPlaced.class, "mail", (OrderPlaced e) -> {
            if (!fixed.get()) {
                throw new NonRetryableException("Template missing");
            }
        });
        QueueAdmin admin = redis.transport().admin();
        OrderPlaced order = OrderPlaced.of("o-2");
        EngineWorker first = redis.startWorker();
        redis.transport().eventBus().publish(order);
        awaitStats(redis, s -> s.deadLettered() == 1);

        EventProgress dead = admin.eventProgress(order.eventId()).orElseThrow();
        assertEquals(Map.of("orders", State.DONE, "mail", State.DEAD), states(dead));
        SubscriptionProgress mail = byName(dead).get("mail");
        assertTrue(mail.lastError().orElse("").contains("Template missing"), mail.toString());

        first.close();
        assertTrue(admin.retry(order.eventId()));
        assertEquals(Map.of("mail", State.WAITING), states(admin.eventProgress(order.eventId()).orElseThrow()),
                "the redelivery runs the failed subscription only");

        fixed.set(true);
        redis.startWorker();
        await().atMost(WAIT).until(() -> states(admin.eventProgress(order.eventId()).orElseThrow()),
                s -> s.equals(Map.of("orders", State.DONE, "mail", State.DONE)));
    }

    @Test
    void anIdNeverPublishedIsUnknown() {
        RedisTestTransport redis = transport();

        assertEquals(Optional.empty(), redis.transport().admin().eventProgress(UUID.randomUUID()));
    }

    private static Map<String, State> states(EventProgress progress) {
        return progress.subscriptions().stream().collect(Collectors.toMap(SubscriptionProgress::subscription,
                SubscriptionProgress::state));
    }

    private static Map<String, SubscriptionProgress> byName(EventProgress progress) {
        return progress.subscriptions().stream().collect(Collectors.toMap(SubscriptionProgress::subscription,
                p -> p));
    }
}
