package io.hexbus.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.admin.SubscriptionStats;
import io.hexbus.api.transport.TransportUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Per-subscription statistics and an event's progress over a mocked {@link QueueAdmin}, through real HTTP. */
class SubscriptionRoutesHttpTest {

    private static final UUID ID = UUID.fromString("0190f3c2-7a1b-7c3d-9e4f-123456789abc");
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final QueueAdmin queue = mock(QueueAdmin.class);
    private final AdminServer http = new AdminServer(HexbusAdmin.builder().queue(queue, "test-queue")
            .adminToken(AdminServer.TOKEN).build());

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void listsEachSubscriptionWithItsRatesAndDurationsInMilliseconds() {
        when(queue.stats()).thenReturn(new QueueStats("billing", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        when(queue.subscriptionStats()).thenReturn(List.of(
                new SubscriptionStats("mailer", 3, 1, 1, 0, new SubscriptionStats.Durations(WINDOW, 4,
                        Optional.of(Duration.ofNanos(1_200_000)), Optional.of(Duration.ofMillis(5)),
                        Optional.of(Duration.ofMillis(9)), Optional.of(Duration.ofMillis(10)))),
                new SubscriptionStats("ledger", 0, 0, 0, 0, SubscriptionStats.Durations.none(WINDOW))));
        JsonNode body = http.ok(http.authorized("/api/v1/queues/subscriptions"));
        assertEquals("billing", body.path("group").asText());
        assertEquals(300, body.path("windowSeconds").asLong());
        JsonNode mailer = body.path("subscriptions").get(0);
        assertEquals("mailer", mailer.path("subscription").asText());
        assertEquals(3, mailer.path("handled").asLong());
        assertEquals(1, mailer.path("failedAttempts").asLong());
        assertEquals(1, mailer.path("retriesScheduled").asLong());
        assertEquals(0.25, mailer.path("failureRate").asDouble());
        assertEquals(4, mailer.path("window").path("runs").asLong());
        assertEquals(1.2, mailer.path("window").path("p50Ms").asDouble());
        assertEquals(10.0, mailer.path("window").path("maxMs").asDouble());
        JsonNode idle = body.path("subscriptions").get(1).path("window");
        assertTrue(idle.path("p95Ms").isNull(), idle.toString());
        assertEquals(0, idle.path("runs").asLong());
    }

    @Test
    void readsTheGroupFromTheStatisticsOnceNotOnEveryCall() {
        when(queue.stats()).thenReturn(new QueueStats("billing", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        when(queue.subscriptionStats()).thenReturn(List.of());
        for (int call = 0; call < 3; call++) {
            assertEquals("billing", http.ok(http.authorized("/api/v1/queues/subscriptions")).path("group").asText());
        }
        verify(queue, times(1)).stats();
        verify(queue, times(3)).subscriptionStats();
    }

    @Test
    void theStatisticsRouteHandsTheGroupOverSoTheSubscriptionsReadNoStatistics() {
        when(queue.stats()).thenReturn(new QueueStats("billing", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        when(queue.subscriptionStats()).thenReturn(List.of());
        http.ok(http.authorized("/api/v1/queues/stats"));
        assertEquals("billing", http.ok(http.authorized("/api/v1/queues/subscriptions")).path("group").asText());
        verify(queue, times(1)).stats();
    }

    @Test
    void aFailedFirstReadOfTheGroupIsA503AndTriedAgainOnTheNextCall() {
        when(queue.stats()).thenThrow(new TransportUnavailableException("store down", null))
                .thenReturn(new QueueStats("billing", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        when(queue.subscriptionStats()).thenReturn(List.of());
        http.problem(http.authorized("/api/v1/queues/subscriptions"), 503, "queue-unavailable");
        assertEquals("billing", http.ok(http.authorized("/api/v1/queues/subscriptions")).path("group").asText());
    }

    @Test
    void withNoSubscriptionReportedTheWindowIsNullNotANumber() {
        when(queue.stats()).thenReturn(new QueueStats("billing", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        when(queue.subscriptionStats()).thenReturn(List.of());
        JsonNode body = http.ok(http.authorized("/api/v1/queues/subscriptions"));
        assertTrue(body.has("windowSeconds") && body.path("windowSeconds").isNull(), body.toString());
        assertEquals(0, body.path("subscriptions").size());
    }

    @Test
    void showsAnEventsProgressPerSubscription() {
        Instant due = Instant.parse("2026-01-01T10:00:08Z");
        when(queue.eventProgress(ID)).thenReturn(Optional.of(new EventProgress(ID, "invoice.issued", List.of(
                new EventProgress.SubscriptionProgress("ledger", EventProgress.State.DONE, 0, Optional.empty(),
                        Optional.empty()),
                new EventProgress.SubscriptionProgress("mailer", EventProgress.State.RETRY_SCHEDULED, 2,
                        Optional.of(due), Optional.of("smtp down"))))));
        JsonNode body = http.ok(http.authorized("/api/v1/queues/events/" + ID));
        assertEquals(ID.toString(), body.path("eventId").asText());
        assertEquals("invoice.issued", body.path("eventName").asText());
        JsonNode ledger = body.path("subscriptions").get(0);
        assertEquals("DONE", ledger.path("state").asText());
        assertTrue(ledger.path("nextAttemptAt").isNull());
        assertTrue(ledger.path("lastError").isNull());
        JsonNode mailer = body.path("subscriptions").get(1);
        assertEquals("RETRY_SCHEDULED", mailer.path("state").asText());
        assertEquals(2, mailer.path("attempts").asInt());
        assertEquals(due.toString(), mailer.path("nextAttemptAt").asText());
        assertEquals("smtp down", mailer.path("lastError").asText());
    }

    @Test
    void anUnknownEventIs404AndAMalformedId400() {
        when(queue.eventProgress(ID)).thenReturn(Optional.empty());
        http.problem(http.authorized("/api/v1/queues/events/" + ID), 404, "not-found");
        http.problem(http.authorized("/api/v1/queues/events/not-an-id"), 400, "bad-request");
        verify(queue, times(1)).eventProgress(any()); // the malformed id never reached the queue
    }

    @Test
    void withoutAQueueSubscriptionsSaySoAndAnEventIsNoQueue() {
        try (AdminServer inMemory = new AdminServer(HexbusAdmin.builder().adminToken(AdminServer.TOKEN).build())) {
            JsonNode body = inMemory.ok(inMemory.authorized("/api/v1/queues/subscriptions"));
            assertEquals(false, body.path("queue").asBoolean(true));
            assertEquals(0, body.path("subscriptions").size());
            inMemory.problem(inMemory.authorized("/api/v1/queues/events/" + ID), 409, "no-queue");
        }
    }
}
