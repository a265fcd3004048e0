package io.hexbus.admin.http;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.javalin.Javalin;
import io.javalin.event.HandlerMetaInfo;
import io.javalin.http.HandlerType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** The admin routes' token rules, at the HTTP level; the first tests on every route the module registers. */
class TokenGuardHttpTest {

    private static final String EVENT_ID = "0190f3c2-7a1b-7c3d-9e4f-123456789abc";

    private final QueueAdmin queue = mock(QueueAdmin.class);
    private AdminServer server;

    /** One request to a registered route: its method and its path with each parameter filled in. */
    record RouteCall(HandlerType method, String path) {

        boolean dashboard() {
            return path.equals("/ui") || path.startsWith("/ui/");
        }

        HttpRequest.Builder on(AdminServer http) {
            // A JSON body on the mutating calls: a refusal is then the token's, never the media type's.
            HttpRequest.BodyPublisher body = method == HandlerType.GET ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("{}");
            return http.request(path).header("Content-Type", "application/json").method(method.name(), body);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /**
     * @return a call to every HTTP route {@link HexbusAdmin#register} adds, read from Javalin as they are added (so a
     *         new route is in this list without editing it); {@code /ui/<file>} as the page and uPlot's two files
     */
    static List<RouteCall> everyRegisteredRoute() {
        List<HandlerMetaInfo> registered = new ArrayList<>();
        HexbusAdmin admin = HexbusAdmin.builder().adminToken(AdminServer.TOKEN).build();
        Javalin.create(config -> {
            config.events.handlerAdded(registered::add);
            config.router.mount(admin::register);
        });
        List<RouteCall> calls = new ArrayList<>();
        for (HandlerMetaInfo route : registered) {
            if (route.getHttpMethod().isHttpMethod()) {
                concrete(route.getPath()).forEach(path -> calls.add(new RouteCall(route.getHttpMethod(), path)));
            }
        }
        return calls;
    }

    private static List<String> concrete(String template) {
        if (template.endsWith("/<file>")) {
            return Stream.of("index.html", "vendor/uplot/uPlot.iife.min.js", "vendor/uplot/uPlot.min.css")
                    .map(file -> template.replace("<file>", file)).toList();
        }
        String path = template.replaceAll("\\{[A-Za-z]+}", EVENT_ID);
        if (path.contains("{") || path.contains("<")) {
            throw new IllegalStateException("a route with a parameter this test cannot fill in: " + template);
        }
        return List.of(path);
    }

    @Test
    void theRouteListHoldsEveryRouteOfTheContract() {
        Set<String> registered = everyRegisteredRoute().stream().map(RouteCall::toString).collect(Collectors.toSet());
        List<String> contract = List.of("GET /api/v1/queues/stats", "GET /api/v1/queues/subscriptions",
                "GET /api/v1/queues/events/" + EVENT_ID, "GET /api/v1/queues/failed",
                "GET /api/v1/queues/failed/" + EVENT_ID, "POST /api/v1/queues/failed/" + EVENT_ID + "/retry",
                "POST /api/v1/queues/failed/retry-all", "POST /api/v1/queues/failed/remove-all",
                "DELETE /api/v1/queues/failed/" + EVENT_ID, "POST /api/v1/queues/clean", "GET /api/v1/schedules",
                "GET /ui", "GET /ui/index.html", "GET /ui/vendor/uplot/uPlot.iife.min.js",
                "GET /ui/vendor/uplot/uPlot.min.css");
        assertTrue(registered.containsAll(contract), () -> "registered: " + registered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRegisteredRoute")
    void withoutTheHeaderEveryAdminRouteIs401AndTheDashboardFilesNeedNoToken(RouteCall call) {
        AdminServer http = serve(HexbusAdmin.builder().adminToken(AdminServer.TOKEN));
        HttpResponse<String> response = http.send(call.on(http));
        if (call.dashboard()) {
            assertEquals(200, response.statusCode(), response::body);
        } else {
            assertEquals(401, response.statusCode(), response::body);
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            assertEquals(Problem.TYPE_PREFIX + "unauthorized", AdminServer.json(response.body()).path("type").asText());
            assertEquals("Bearer realm=\"hexbus-admin\"",
                    response.headers().firstValue("WWW-Authenticate").orElse(""));
        }
        verifyNoInteractions(queue);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRegisteredRoute")
    void aWrongTokenIs401OnEveryAdminRoute(RouteCall call) {
        AdminServer http = serve(HexbusAdmin.builder().adminToken(AdminServer.TOKEN));
        HttpRequest.Builder request = call.on(http).header("Authorization", "Bearer wrong-token-0123456789abcdef");
        if (call.dashboard()) {
            assertEquals(200, http.send(request).statusCode());
        } else {
            http.problem(request, 401, "unauthorized");
        }
        verifyNoInteractions(queue);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRegisteredRoute")
    void withoutAConfiguredTokenEveryRouteIs404AdminDisabled(RouteCall call) {
        AdminServer http = serve(HexbusAdmin.builder());
        http.problem(call.on(http).header("Authorization", "Bearer " + AdminServer.TOKEN), 404, "admin-disabled");
        verifyNoInteractions(queue);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private AdminServer serve(HexbusAdmin.Builder builder) {
        server = new AdminServer(builder.queue(queue, "test-queue").build());
        return server;
    }

    @Test
    void withoutTheHeaderItIs401WithAChallengeAndTheQueueIsNotRead() {
        AdminServer http = serve(HexbusAdmin.builder().adminToken(AdminServer.TOKEN));
        HttpResponse<String> response = http.send(http.request("/api/v1/queues/stats"));
        assertEquals(401, response.statusCode());
        assertEquals("Bearer realm=\"hexbus-admin\"", response.headers().firstValue("WWW-Authenticate").orElse(""));
        http.problem(http.request("/api/v1/queues/subscriptions"), 401, "unauthorized");
        verifyNoInteractions(queue);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer wrong-token-0123456789abcdef", "Bearer test-token-0123456789abcde",
            "Bearer test-token-0123456789abcdefX", "Basic dGVzdA==", "Bearer", "test-token-0123456789abcdef"})
    void aWrongTokenIs401(String header) {
        AdminServer http = serve(HexbusAdmin.builder().adminToken(AdminServer.TOKEN));
        http.problem(http.request("/api/v1/queues/failed").header("Authorization", header), 401, "unauthorized");
        verifyNoInteractions(queue);
    }

    @Test
    void theRightTokenIsLetThroughWhateverTheSchemeCase() {
        when(queue.stats()).thenReturn(new QueueStats("g", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        AdminServer http = serve(HexbusAdmin.builder().adminToken(AdminServer.TOKEN));
        assertEquals("g", http.ok(http.authorized("/api/v1/queues/stats")).path("group").asText());
        assertEquals("g", http.ok(http.request("/api/v1/queues/stats")
                .header("Authorization", "bearer " + AdminServer.TOKEN)).path("group").asText());
    }

    @Test
    void withoutATokenTheRoutesAreNotServed() {
        AdminServer http = serve(HexbusAdmin.builder());
        String detail = http.problem(http.authorized("/api/v1/queues/stats"), 404, "admin-disabled")
                .path("detail").asText();
        assertTrue(detail.contains(TokenGuard.TOKEN_VARIABLE), detail);
        verifyNoInteractions(queue);
    }

    @Test
    void insecureServesTheRoutesWithoutAToken() {
        when(queue.stats()).thenReturn(new QueueStats("g", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        AdminServer http = serve(HexbusAdmin.builder().insecure(true));
        assertEquals("g", http.ok(http.request("/api/v1/queues/stats")).path("group").asText());
    }

    @Test
    void aMutatingCallWithoutJsonIs415() {
        AdminServer http = serve(HexbusAdmin.builder().adminToken(AdminServer.TOKEN));
        http.problem(http.authorized("/api/v1/queues/failed/remove-all").header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"all\": true}")), 415,
                "unsupported-media-type");
        verifyNoInteractions(queue);
    }

    @Test
    void aShortTokenIsRefusedWithoutShowingIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HexbusAdmin.builder().adminToken("short-secret").build());
        assertFalse(refused.getMessage().contains("short-secret"), refused.getMessage());
    }

    @Test
    void theGuardNeverShowsTheToken() {
        TokenGuard guard = new TokenGuard(Optional.of(AdminServer.TOKEN), false);
        assertFalse(guard.toString().contains(AdminServer.TOKEN), guard.toString());
        assertTrue(guard.tokenConfigured());
    }

    @Test
    void noAnswerSetsACookie() {
        AdminServer http = serve(HexbusAdmin.builder().adminToken(AdminServer.TOKEN));
        when(queue.stats()).thenReturn(new QueueStats("g", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        for (HttpResponse<String> response : java.util.List.of(
                http.send(http.authorized("/api/v1/queues/stats")), http.send(http.request("/api/v1/queues/stats")),
                http.send(http.request("/ui")))) {
            assertTrue(response.headers().allValues("Set-Cookie").isEmpty(), response.headers().toString());
        }
    }
}
