package io.hexbus.admin.http;

import io.hexbus.api.admin.QueueAdmin;
import io.javalin.http.NotFoundResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The admin routes mounted in a host app with routes of its own: a path under {@code /api/v1/} that nothing serves
 * answers as the admin routes do (401 without the token, then 404), while the host's routes, inside the prefix or
 * out of it, and its own 404 answers stay the host's.
 */
class UnknownAdminPathsHttpTest {

    private final QueueAdmin queue = mock(QueueAdmin.class);
    private AdminServer http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
    }

    private AdminServer hostWith(HexbusAdmin.Builder admin) {
        HexbusAdmin routes = admin.queue(queue, "test-queue").build();
        http = new AdminServer(routing -> {
            routes.register(routing);
            routing.get("/hello", ctx -> ctx.result("hello from the host"));
            routing.get("/api/v1/host/ping", ctx -> ctx.result("pong"));
            routing.get("/api/v1/host/members/{name}", ctx -> {
                throw new NotFoundResponse("no member " + ctx.pathParam("name"));
            });
            routing.error(404, ctx -> {
                if (!ctx.path().startsWith("/api/")) {
                    ctx.result("the host's own 404");
                }
            });
        });
        return http;
    }

    @ParameterizedTest
    @CsvSource({"GET, /api/v1/nothing", "GET, /api/v1/queues/nothing", "POST, /api/v1/queues/failed/x/y",
            "PUT, /api/v1/queues/stats", "DELETE, /api/v1/schedules", "PATCH, /api/v1/queues/clean"})
    void anUnknownPathUnderThePrefixIs401WithoutTheTokenAsBeforeTheMove(String method, String path) {
        AdminServer host = hostWith(HexbusAdmin.builder().adminToken(AdminServer.TOKEN));
        HttpResponse<String> response = host.send(json(host.request(path), method));
        assertEquals(401, response.statusCode(), response::body);
        assertEquals("Bearer realm=\"hexbus-admin\"", response.headers().firstValue("WWW-Authenticate").orElse(""));
        host.problem(json(host.request(path), method).header("Authorization", "Bearer wrong-token-0123456789abcdef"),
                401, "unauthorized");
        String detail = host.problem(json(host.authorized(path), method), 404, "not-found").path("detail").asText();
        assertEquals("no such route: " + method + " " + path, detail);
        verifyNoInteractions(queue);
    }

    @Test
    void aMutatingCallToAnUnknownPathThatIsNotJsonIs415AsBeforeTheMove() {
        AdminServer host = hostWith(HexbusAdmin.builder().adminToken(AdminServer.TOKEN));
        host.problem(host.authorized("/api/v1/queues/nothing").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")), 415, "unsupported-media-type");
    }

    @Test
    void whenTheAdminRoutesAreOffAnUnknownPathIs404AdminDisabledAndWhenInsecureA404() {
        AdminServer off = hostWith(HexbusAdmin.builder());
        off.problem(off.authorized("/api/v1/nothing"), 404, "admin-disabled");
        off.close();
        AdminServer insecure = hostWith(HexbusAdmin.builder().insecure(true));
        insecure.problem(insecure.request("/api/v1/nothing"), 404, "not-found");
    }

    @Test
    void theHostsOwnRoutesAndAnswersAreLeftAlone() {
        AdminServer host = hostWith(HexbusAdmin.builder().adminToken(AdminServer.TOKEN));
        assertEquals("hello from the host", host.send(host.request("/hello")).body());
        HttpResponse<String> ping = host.send(host.request("/api/v1/host/ping"));
        assertEquals(200, ping.statusCode(), ping::body);
        assertEquals("pong", ping.body(), "a host's route under the prefix is the host's: no token asked");

        HttpResponse<String> member = host.send(host.request("/api/v1/host/members/ann"));
        assertEquals(404, member.statusCode());
        assertFalse(member.body().contains(Problem.TYPE_PREFIX), member::body);

        HttpResponse<String> elsewhere = host.send(host.request("/elsewhere"));
        assertEquals(404, elsewhere.statusCode());
        assertEquals("the host's own 404", elsewhere.body());
        assertFalse(elsewhere.headers().firstValue("Content-Type").orElse("").contains("problem"));
    }

    private static HttpRequest.Builder json(HttpRequest.Builder request, String method) {
        return request.header("Content-Type", "application/json").method(method, method.equals("GET")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
    }
}
