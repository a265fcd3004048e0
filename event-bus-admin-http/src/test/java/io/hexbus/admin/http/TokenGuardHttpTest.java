package io.hexbus.admin.http;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** The admin routes' token rules, at the HTTP level. */
class TokenGuardHttpTest {

    private final QueueAdmin queue = mock(QueueAdmin.class);
    private AdminServer server;

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
