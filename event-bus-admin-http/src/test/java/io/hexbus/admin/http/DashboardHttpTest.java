package io.hexbus.admin.http;

import io.hexbus.api.admin.QueueAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

/** Serving the dashboard under {@code /ui}: its files, uPlot from the webjar, the security headers, the token rule. */
class DashboardHttpTest {

    private final AdminServer http = new AdminServer(HexbusAdmin.builder().queue(mock(QueueAdmin.class), "test")
            .adminToken(AdminServer.TOKEN).build());

    @AfterEach
    void stop() {
        http.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui", "/ui/", "/ui/index.html"})
    void servesThePageWithoutATokenInTheRequest(String path) {
        HttpResponse<String> response = http.send(http.request(path));
        assertEquals(200, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(response.body().contains("hexbus dashboard"), response.body());
        assertSecurityHeaders(response);
    }

    @Test
    void servesUPlotFromTheWebjar() {
        HttpResponse<String> script = http.send(http.request("/ui/vendor/uplot/uPlot.iife.min.js"));
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(script.body().contains("uPlot"), "not uPlot's script");
        assertSecurityHeaders(script);
        HttpResponse<String> style = http.send(http.request("/ui/vendor/uplot/uPlot.min.css"));
        assertEquals(200, style.statusCode());
        assertTrue(style.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        assertTrue(style.body().contains(".uplot"), "not uPlot's style sheet");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/nothing.js", "/ui/../AdminJson.class", "/ui/%2e%2e/x.html", "/ui/.hidden",
            "/ui/vendor/uplot/uPlot.esm.js", "/ui/a//b.js"})
    void anythingElseIsAProblem404WithTheSameHeaders(String path) {
        HttpResponse<String> response = http.send(http.request(path));
        assertTrue(response.statusCode() == 404 || response.statusCode() == 400, response::body);
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""),
                response::body);
        if (path.startsWith("/ui/") && response.statusCode() == 404 && !path.contains("%")) {
            assertSecurityHeaders(response);
        }
    }

    @Test
    void withoutAConfiguredTokenTheDashboardIsA404EvenWhenInsecure() {
        for (HexbusAdmin.Builder builder : List.of(HexbusAdmin.builder(), HexbusAdmin.builder().insecure(true))) {
            try (AdminServer off = new AdminServer(builder.build())) {
                for (String path : List.of("/ui", "/ui/index.html", "/ui/vendor/uplot/uPlot.iife.min.js")) {
                    HttpResponse<String> response = off.send(off.request(path));
                    assertEquals(404, response.statusCode(), path);
                    assertTrue(response.body().contains(Problem.TYPE_PREFIX + "admin-disabled"), response::body);
                    assertSecurityHeaders(response);
                }
            }
        }
    }

    @Test
    void uPlotsFolderComesFromTheWebjarsOwnVersion() throws Exception {
        ClassLoader loader = DashboardRoutes.class.getClassLoader();
        Properties webjar = new Properties();
        try (InputStream in = loader.getResourceAsStream(UPlotWebjar.POM_PROPERTIES)) {
            webjar.load(in);
        }
        String folder = UPlotWebjar.distFolder(loader);
        assertEquals("META-INF/resources/webjars/uplot/" + webjar.getProperty("version") + "/dist/", folder);
        assertNotNull(loader.getResource(folder + "uPlot.iife.min.js"), folder);
    }

    @Test
    void withoutTheWebjarTheAdminIsRefusedAtStartNamingIt() {
        ClassLoader withoutWebjar = new URLClassLoader(new URL[0], null);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new DashboardRoutes(new TokenGuard(Optional.of(AdminServer.TOKEN), false), new AdminJson(),
                        withoutWebjar));
        assertTrue(refused.getMessage().contains("org.webjars.npm:uplot"), refused.getMessage());
    }

    @Test
    void aFileThatCannotBeReadIsAProblem500WithTheSameHeaders() {
        ClassLoader real = DashboardRoutes.class.getClassLoader();
        // A jar whose entry cannot be read: the webjar's coordinates can, the dashboard's page cannot.
        ClassLoader unreadable = new ClassLoader(real) {
            @Override
            public InputStream getResourceAsStream(String name) {
                if (!name.startsWith("io/hexbus/admin/ui/")) {
                    return real.getResourceAsStream(name);
                }
                return new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("the jar's entry is corrupt");
                    }
                };
            }
        };
        DashboardRoutes routes = new DashboardRoutes(new TokenGuard(Optional.of(AdminServer.TOKEN), false),
                new AdminJson(), unreadable);
        try (AdminServer broken = new AdminServer(routes::register)) {
            HttpResponse<String> response = broken.send(broken.request("/ui/index.html"));
            assertEquals(500, response.statusCode(), response::body);
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(response.body().contains(Problem.TYPE_PREFIX + "internal"), response::body);
            assertFalse(response.body().contains("corrupt"), "the cause is logged, not answered");
            assertSecurityHeaders(response);
        }
    }

    private static void assertSecurityHeaders(HttpResponse<String> response) {
        assertEquals("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                        + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none';"
                        + " frame-ancestors 'none'",
                response.headers().firstValue("Content-Security-Policy").orElse(""), response.uri().toString());
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(""));
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(response.headers().allValues("Set-Cookie").isEmpty(), response.headers().toString());
        assertTrue(response.headers().allValues("Access-Control-Allow-Origin").isEmpty());
    }
}
