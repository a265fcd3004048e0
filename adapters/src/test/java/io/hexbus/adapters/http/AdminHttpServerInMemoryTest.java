package io.hexbus.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.hexbus.adapters.http.HttpTestClient.assertProblem;
import static io.hexbus.adapters.http.HttpTestClient.body;
import static io.hexbus.adapters.http.HttpTestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP server over the in-memory transport (no {@code QueueAdmin}), through a real HTTP client: health,
 * statistics that say there is no queue, and every guard of the admin routes (token, media type, ids, bodies).
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class AdminHttpServerInMemoryTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final String ID = "0190f3c2-7a1b-7c3d-9e4f-123456789abc";

    AdminHttpServer server;
    HttpTestClient http;

    void start(Optional<String> token, boolean insecure) {
        server = AdminHttpServer.start(new HttpSettings(true, "127.0.0.1", 0, token, insecure), Optional.empty(),
                () -> 0);
        http = new HttpTestClient(server.port());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Nested
    class WithAToken {

        @BeforeEach
        void start() {
            AdminHttpServerInMemoryTest.this.start(Optional.of(TOKEN), false);
        }

        @Test
        void healthNeedsNoTokenAndSaysInMemory() {
            HttpResponse<String> response = http.send(http.request("/health"));

            assertEquals(200, response.statusCode(), response.body());
            JsonNode health = json(response);
            assertEquals("UP", health.path("status").asText());
            assertEquals("in-memory", health.path("transport").asText());
            assertTrue(health.path("redisReachable").isNull());
        }

        @Test
        void statsSayThereIsNoQueue() {
            HttpResponse<String> response = http.send(http.authorized("/api/v1/queues/stats", TOKEN));

            assertEquals(200, response.statusCode(), response.body());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            JsonNode stats = json(response);
            assertEquals("in-memory", stats.path("transport").asText());
            assertEquals(false, stats.path("queue").asBoolean(true));
        }

        @Test
        void deadLetterRoutesAnswerNoQueueNeverA500() {
            assertProblem(http.send(http.authorized("/api/v1/queues/failed", TOKEN)), 409, "no-queue");
            assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + ID, TOKEN)), 409, "no-queue");
            assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + ID + "/retry", TOKEN)
                    .header("Content-Type", "application/json").POST(body(""))), 409, "no-queue");
            assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + ID, TOKEN)
                    .header("Content-Type", "application/json").DELETE()), 409, "no-queue");
            assertProblem(http.send(http.authorized("/api/v1/queues/failed/retry-all", TOKEN)
                    .header("Content-Type", "application/json").POST(body(""))), 409, "no-queue");
            JsonNode problem = assertProblem(http.send(http.authorized("/api/v1/queues/clean", TOKEN)
                    .header("Content-Type", "application/json").POST(body("{\"olderThanSeconds\": 60}"))),
                    409, "no-queue");
            assertTrue(problem.path("detail").asText().contains("no queue on the in-memory transport"));
        }

        @Test
        void withoutTheHeaderItIs401WithAChallenge() {
            HttpResponse<String> response = http.send(http.request("/api/v1/queues/stats"));

            assertProblem(response, 401, "unauthorized");
            assertEquals("Bearer realm=\"hexbus-admin\"", response.headers().firstValue("WWW-Authenticate")
                    .orElse(""));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Bearer wrong-token-0123456789abcdef", "Bearer " + TOKEN + "x", "Bearer ",
                "Basic " + TOKEN, TOKEN, "Bearer test-token-0123456789abcde"})
        void aWrongTokenOrSchemeIs401(String authorization) {
            assertProblem(http.send(http.request("/api/v1/queues/stats").header("Authorization", authorization)),
                    401, "unauthorized");
        }

        @Test
        void theTokenInACookieInsteadOfTheHeaderIs401() {
            assertProblem(http.send(http.request("/api/v1/queues/stats").header("Cookie", "token=" + TOKEN
                    + "; Authorization=Bearer " + TOKEN + "; HEXBUS_ADMIN_TOKEN=" + TOKEN)), 401, "unauthorized");
        }

        @Test
        void theSchemeIsCaseInsensitive() {
            assertEquals(200, http.send(http.request("/api/v1/queues/stats").header("Authorization",
                    "bearer " + TOKEN)).statusCode());
        }

        @Test
        void everyAdminRouteNeedsTheToken() {
            assertProblem(http.send(http.request("/api/v1/queues/failed")), 401, "unauthorized");
            assertProblem(http.send(http.request("/api/v1/queues/failed/" + ID + "/retry")
                    .header("Content-Type", "application/json").POST(body(""))), 401, "unauthorized");
            assertProblem(http.send(http.request("/api/v1/queues/failed/" + ID)
                    .header("Content-Type", "application/json").DELETE()), 401, "unauthorized");
            assertProblem(http.send(http.request("/api/v1/queues/failed/retry-all")
                    .header("Content-Type", "application/json").POST(body(""))), 401, "unauthorized");
            assertProblem(http.send(http.request("/api/v1/queues/clean")
                    .header("Content-Type", "application/json").POST(body("{\"olderThanSeconds\": 60}"))),
                    401, "unauthorized");
            assertProblem(http.send(http.request("/api/v1/no-such-route")), 401, "unauthorized");
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/jsonx"})
        void mutatingCallsAcceptJsonOnly(String contentType) {
            assertProblem(http.send(http.authorized("/api/v1/queues/clean", TOKEN).header("Content-Type", contentType)
                    .POST(body("{\"olderThanSeconds\": 60}"))), 415, "unsupported-media-type");
            assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + ID + "/retry", TOKEN)
                    .header("Content-Type", contentType).POST(body("{}"))), 415, "unsupported-media-type");
            assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + ID, TOKEN)
                    .header("Content-Type", contentType).DELETE()), 415, "unsupported-media-type");
            assertProblem(http.send(http.authorized("/api/v1/queues/failed/retry-all", TOKEN)
                    .header("Content-Type", contentType).POST(body("{}"))), 415, "unsupported-media-type");
        }

        @Test
        void aMutatingCallWithoutAContentTypeIs415() {
            assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + ID, TOKEN).DELETE()), 415,
                    "unsupported-media-type");
            assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + ID + "/retry", TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody())), 415, "unsupported-media-type");
        }

        @Test
        void aJsonContentTypeWithACharsetIsAccepted() {
            assertProblem(http.send(http.authorized("/api/v1/queues/clean", TOKEN)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(body("{\"olderThanSeconds\": 60}"))), 409, "no-queue");
        }

        @ParameterizedTest
        @ValueSource(strings = {"not-a-uuid", "123", "0190f3c2-7a1b-7c3d-9e4f-123456789abcd", "1-2-3-4-5"})
        void aMalformedIdIs400(String id) {
            assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + id, TOKEN)), 400, "bad-request");
            assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + id + "/retry", TOKEN)
                    .header("Content-Type", "application/json").POST(body(""))), 400, "bad-request");
            assertProblem(http.send(http.authorized("/api/v1/queues/failed/" + id, TOKEN)
                    .header("Content-Type", "application/json").DELETE()), 400, "bad-request");
        }

        @ParameterizedTest
        @ValueSource(strings = {"offset=-1", "offset=x", "limit=0", "limit=1001", "limit=ten", "includePayload=yes",
                "offset=99999999999"})
        void badPagingIs400(String query) {
            JsonNode problem = assertProblem(http.send(http.authorized("/api/v1/queues/failed?" + query, TOKEN)),
                    400, "bad-request");
            assertTrue(problem.path("detail").asText().startsWith(query.substring(0, query.indexOf('='))),
                    problem.toString());
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{\"olderThanSeconds\": null}", "{\"olderThanSeconds\": 0}",
                "{\"olderThanSeconds\": -5}", "{\"olderThanSeconds\": 1.5}", "{\"olderThanSeconds\": \"60\"}",
                "{\"olderThanSeconds\": 999999999999}", "{\"olderThanSeconds\": 60, \"state\": \"waiting\"}",
                "{\"olderThanSeconds\": 60, \"all\": true}", "[60]", "not json", "", "{\"olderThanSeconds\": 60} {}",
                "{\"olderThanSeconds\": 1e400}"})
        void anUnboundedOrMalformedCleanIs400(String json) {
            assertProblem(http.send(http.authorized("/api/v1/queues/clean", TOKEN)
                    .header("Content-Type", "application/json").POST(body(json))), 400, "bad-request");
        }

        @Test
        void aBodyOverTheLimitIs413() {
            String big = "{\"olderThanSeconds\": 60, \"state\": \"" + "x".repeat(AdminHttpServer.MAX_BODY_BYTES)
                    + "\"}";
            assertProblem(http.send(http.authorized("/api/v1/queues/clean", TOKEN)
                    .header("Content-Type", "application/json").POST(body(big))), 413, "body-too-large");
        }

        @Test
        void anUnknownRouteIsAProblem404() {
            assertProblem(http.send(http.authorized("/api/v1/queues/nothing-here", TOKEN)), 404, "not-found");
            assertProblem(http.send(http.request("/nothing-here")), 404, "not-found");
        }

        @Test
        void noCorsHeadersEvenForACrossOriginRequestOrPreflight() {
            HttpResponse<String> get = http.send(http.authorized("/api/v1/queues/stats", TOKEN)
                    .header("Origin", "https://evil.example"));
            HttpResponse<String> preflight = http.send(http.request("/api/v1/queues/clean")
                    .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

            assertEquals(200, get.statusCode());
            for (HttpResponse<String> response : List.of(get, preflight)) {
                assertTrue(response.headers().map().keySet().stream()
                        .noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-")),
                        response.headers().map().toString());
            }
            assertTrue(preflight.statusCode() >= 400, "a preflight is not answered with success");
        }

        @Test
        void metricsNeedTheTokenAndHaveTheJvmButNoQueueMeters() {
            assertProblem(http.send(http.request("/metrics")), 401, "unauthorized");

            HttpResponse<String> response = http.send(http.authorized("/metrics", TOKEN));

            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(response.body().contains("jvm_memory_used_bytes"), response.body());
            assertFalse(response.body().contains("hexbus_queue"), response.body());
        }

        @Test
        void theOpenApiDocumentListsRoutesThatExistAndNeedsNoToken() {
            HttpResponse<String> response = http.send(http.request("/openapi.json"));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode paths = json(response).path("paths");
            assertEquals(13, paths.size(), paths.toString());

            int operations = 0;
            for (var path = paths.properties().iterator(); path.hasNext(); ) {
                var entry = path.next();
                for (var operation = entry.getValue().fieldNames(); operation.hasNext(); ) {
                    String method = operation.next().toUpperCase(Locale.ROOT);
                    String route = entry.getKey().replace("{id}", ID);
                    HttpResponse<String> answer = http.send(http.authorized(route, TOKEN)
                            .header("Content-Type", "application/json")
                            .method(method, body(method.equals("GET") || method.equals("DELETE") ? ""
                                    : "{\"olderThanSeconds\": 60}")));
                    assertFalse(answer.body().contains("no such route"), method + " " + route + ": " + answer.body());
                    assertTrue(answer.statusCode() == 200 || answer.statusCode() == 409,
                            method + " " + route + ": " + answer.statusCode() + " " + answer.body());
                    operations++;
                }
            }
            assertEquals(14, operations);
        }

        @Test
        void servesTheDashboardAndUPlotWithItsSecurityHeadersAndNoCookie() {
            for (String path : List.of("/ui", "/ui/vendor/uplot/uPlot.iife.min.js")) {
                HttpResponse<String> response = http.send(http.request(path));
                assertEquals(200, response.statusCode(), path + ": " + response.body());
                assertTrue(response.headers().firstValue("Content-Security-Policy").orElse("")
                        .startsWith("default-src 'none'; script-src 'self';"), response.headers().map().toString());
                assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
                assertTrue(response.headers().allValues("Set-Cookie").isEmpty(), response.headers().map().toString());
            }
            assertProblem(http.send(http.request("/ui/no-such-file.js")), 404, "not-found");
        }

        @Test
        void theServerDoesNotAnnounceItsVersion() {
            HttpResponse<String> response = http.send(http.request("/health"));
            assertTrue(response.headers().firstValue("Server").isEmpty(), response.headers().map().toString());
        }
    }

    @Nested
    class WithoutAToken {

        @Test
        void theAdminRoutesAreNotServedButHealthIs() {
            start(Optional.empty(), false);

            JsonNode problem = assertProblem(http.send(http.request("/api/v1/queues/stats")), 404, "admin-disabled");
            assertTrue(problem.path("detail").asText().contains(HttpSettings.ADMIN_TOKEN), problem.toString());
            assertProblem(http.send(http.request("/api/v1/queues/failed/" + UUID.randomUUID())
                    .header("Authorization", "Bearer anything-at-all-really").header("Content-Type",
                            "application/json").DELETE()), 404, "admin-disabled");
            assertEquals(200, http.send(http.request("/health")).statusCode());
        }

        @Test
        void theInsecureFlagServesThemWithoutAToken() {
            start(Optional.empty(), true);

            assertEquals(200, http.send(http.request("/api/v1/queues/stats")).statusCode());
            assertProblem(http.send(http.request("/api/v1/queues/clean").header("Content-Type", "text/plain")
                    .POST(body("{\"olderThanSeconds\": 60}"))), 415, "unsupported-media-type");
        }

        @Test
        void theDashboardIsNotServedEvenWhenInsecure() {
            start(Optional.empty(), true);

            assertProblem(http.send(http.request("/ui")), 404, "admin-disabled");
        }

        @Test
        void withATokenTheInsecureFlagDoesNotWaiveIt() {
            start(Optional.of(TOKEN), true);

            assertProblem(http.send(http.request("/api/v1/queues/stats")), 401, "unauthorized");
        }
    }
}
