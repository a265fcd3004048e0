package io.hexbus.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.DeadLetterFilter;
import io.hexbus.api.admin.DeadLetterPage;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The dead-letter routes over a mocked {@link QueueAdmin}, through a real HTTP server and client. */
class DeadLetterRoutesHttpTest {

    private static final UUID ID = UUID.fromString("0190f3c2-7a1b-7c3d-9e4f-123456789abc");
    private static final DeadLetter LETTER = new DeadLetter(ID, "invoice.issued", List.of("mailer"), 4,
            "java.lang.IllegalStateException: smtp down", Instant.parse("2026-01-01T10:00:00Z"),
            Instant.parse("2026-01-01T10:00:14Z"), "{\"id\":\"" + ID + "\",\"payload\":{\"n\":1}}");

    private final QueueAdmin queue = mock(QueueAdmin.class);
    private final AdminServer http = new AdminServer(HexbusAdmin.builder().queue(queue, "test-queue")
            .adminToken(AdminServer.TOKEN).build());

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void listsAPageThroughTheFilterOfTheQuery() {
        DeadLetterFilter filter = DeadLetterFilter.ANY.withEventName("invoice.issued").withSubscription("mailer")
                .withErrorContaining("SMTP");
        when(queue.deadLetters(filter, 5, 10)).thenReturn(new DeadLetterPage(List.of(LETTER), 5, 6));
        JsonNode page = http.ok(http.authorized("/api/v1/queues/failed?offset=5&limit=10&eventName=invoice.issued"
                + "&subscription=mailer&error=SMTP&includePayload=true"));
        assertEquals(6, page.path("total").asLong());
        assertEquals(5, page.path("offset").asInt());
        assertEquals(10, page.path("limit").asInt());
        JsonNode item = page.path("items").get(0);
        assertEquals(ID.toString(), item.path("eventId").asText());
        assertEquals("mailer", item.path("failedSubscriptions").get(0).asText());
        assertEquals("2026-01-01T10:00:14Z", item.path("lastFailedAt").asText());
        assertEquals(1, item.path("envelope").path("payload").path("n").asInt());
    }

    @Test
    void withoutFiltersItListsEveryDeadLetterWithoutPayload() {
        when(queue.deadLetters(DeadLetterFilter.ANY, 0, 50)).thenReturn(new DeadLetterPage(List.of(LETTER), 0, 1));
        JsonNode item = http.ok(http.authorized("/api/v1/queues/failed?eventName=")).path("items").get(0);
        assertTrue(item.path("envelope").isMissingNode(), item.toString());
    }

    @Test
    void readsRetriesAndRemovesOne() {
        when(queue.deadLetter(ID)).thenReturn(Optional.of(LETTER));
        when(queue.retry(ID)).thenReturn(true);
        when(queue.remove(ID)).thenReturn(true);
        assertEquals("invoice.issued", http.ok(http.authorized("/api/v1/queues/failed/" + ID))
                .path("eventName").asText());
        assertTrue(http.ok(http.postJson("/api/v1/queues/failed/" + ID + "/retry", "")).path("retried")
                .asBoolean());
        assertTrue(http.ok(http.authorized("/api/v1/queues/failed/" + ID).header("Content-Type", "application/json")
                .DELETE()).path("removed").asBoolean());
    }

    @Test
    void anUnknownDeadLetterIs404() {
        when(queue.deadLetter(ID)).thenReturn(Optional.empty());
        http.problem(http.authorized("/api/v1/queues/failed/" + ID), 404, "not-found");
        http.problem(http.postJson("/api/v1/queues/failed/" + ID + "/retry", ""), 404, "not-found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "123", "0190f3c2-7a1b-7c3d-9e4f-123456789abcd", "1-2-3-4-5"})
    void aMalformedIdIs400(String id) {
        http.problem(http.authorized("/api/v1/queues/failed/" + id), 400, "bad-request");
        http.problem(http.postJson("/api/v1/queues/failed/" + id + "/retry", ""), 400, "bad-request");
        verify(queue, never()).retry(any());
    }

    @Test
    void retryAllTakesAnOptionalFilter() {
        DeadLetterFilter filter = DeadLetterFilter.ANY.withSubscription("mailer").withErrorContaining("smtp");
        when(queue.retryAll(filter)).thenReturn(3);
        when(queue.retryAll(DeadLetterFilter.ANY)).thenReturn(7);
        assertEquals(3, http.ok(http.postJson("/api/v1/queues/failed/retry-all",
                "{\"subscription\": \"mailer\", \"error\": \"smtp\", \"eventName\": null}")).path("retried").asInt());
        assertEquals(7, http.ok(http.postJson("/api/v1/queues/failed/retry-all", "")).path("retried").asInt());
        assertEquals(7, http.ok(http.postJson("/api/v1/queues/failed/retry-all", "{}")).path("retried").asInt());
    }

    @Test
    void removeAllTakesAFilter() {
        DeadLetterFilter filter = DeadLetterFilter.ANY.withEventName("invoice.issued");
        when(queue.removeAll(filter)).thenReturn(2);
        assertEquals(2, http.ok(http.postJson("/api/v1/queues/failed/remove-all",
                "{\"eventName\": \"invoice.issued\"}")).path("removed").asInt());
    }

    @Test
    void removeAllWithoutAFilterNeedsAllTrue() {
        when(queue.removeAll(DeadLetterFilter.ANY)).thenReturn(9);
        for (String body : List.of("", "{}", "{\"all\": false}", "{\"eventName\": \"  \"}")) {
            String detail = http.problem(http.postJson("/api/v1/queues/failed/remove-all", body), 400, "bad-request")
                    .path("detail").asText();
            assertTrue(detail.contains("\"all\": true"), detail);
        }
        verify(queue, never()).removeAll(any());
        assertEquals(9, http.ok(http.postJson("/api/v1/queues/failed/remove-all", "{\"all\": true}"))
                .path("removed").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"all\"", "not json", "{\"all\": \"yes\"}", "{\"eventName\": 5}",
            "{\"colour\": \"red\"}", "{\"all\": true, \"subscription\": \"mailer\"}", "{} {}"})
    void aMalformedRemoveAllBodyIs400(String body) {
        http.problem(http.postJson("/api/v1/queues/failed/remove-all", body), 400, "bad-request");
        verify(queue, never()).removeAll(any());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "{\"subscription\": []}", "{\"all\": 1}", "{\"olderThanSeconds\": 5}"})
    void aMalformedRetryAllBodyIs400(String body) {
        http.problem(http.postJson("/api/v1/queues/failed/retry-all", body), 400, "bad-request");
        verify(queue, never()).retryAll(any());
        verify(queue, never()).retryAll();
    }

    @Test
    void cleansByAge() {
        when(queue.cleanDeadLetters(Duration.ofSeconds(60))).thenReturn(4);
        JsonNode answer = http.ok(http.postJson("/api/v1/queues/clean", "{\"olderThanSeconds\": 60}"));
        assertEquals(4, answer.path("removed").asInt());
        assertEquals("failed", answer.path("state").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{}", "{\"olderThanSeconds\": 0}", "{\"olderThanSeconds\": 1.5}",
            "{\"olderThanSeconds\": 60, \"all\": true}"})
    void anUnboundedOrMalformedCleanIs400(String body) {
        http.problem(http.postJson("/api/v1/queues/clean", body), 400, "bad-request");
        verify(queue, never()).cleanDeadLetters(any());
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String big = "{\"eventName\": \"" + "x".repeat(AdminJson.MAX_BODY_BYTES) + "\"}";
        http.problem(http.postJson("/api/v1/queues/failed/remove-all", big), 413, "body-too-large");
    }

    @ParameterizedTest
    @ValueSource(strings = {"offset=-1", "limit=0", "limit=1001", "includePayload=yes"})
    void badPagingIs400(String query) {
        http.problem(http.authorized("/api/v1/queues/failed?" + query), 400, "bad-request");
        verify(queue, never()).deadLetters(any(), anyInt(), anyInt());
    }

    @Test
    void aTransportFailureIsA503AndATimeoutA504() {
        when(queue.retryAll(DeadLetterFilter.ANY)).thenThrow(new TransportUnavailableException("store down", null));
        when(queue.deadLetter(ID)).thenThrow(new IllegalStateException("wrapped",
                new TransportTimeoutException("store slow", null)));
        http.problem(http.postJson("/api/v1/queues/failed/retry-all", ""), 503, "queue-unavailable");
        http.problem(http.authorized("/api/v1/queues/failed/" + ID), 504, "queue-timeout");
    }

    @Test
    void withoutAQueueTheRoutesAnswerNoQueue() {
        try (AdminServer inMemory = new AdminServer(HexbusAdmin.builder().adminToken(AdminServer.TOKEN).build())) {
            inMemory.problem(inMemory.authorized("/api/v1/queues/failed"), 409, "no-queue");
            inMemory.problem(inMemory.postJson("/api/v1/queues/failed/retry-all", ""), 409, "no-queue");
            inMemory.problem(inMemory.postJson("/api/v1/queues/failed/remove-all", "{\"all\": true}"), 409,
                    "no-queue");
            JsonNode stats = inMemory.ok(inMemory.authorized("/api/v1/queues/stats"));
            assertEquals(false, stats.path("queue").asBoolean(true));
        }
    }
}
