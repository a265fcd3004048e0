package io.hexbus.app;

import io.hexbus.adapters.guice.RedisTransportSettings;
import io.hexbus.outbox.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The app with {@code HTTP_ENABLED=true}, as a user runs it (a child JVM): it serves the admin API and the health
 * check on the port it logs, keeps serving after the tour, and stops cleanly on SIGTERM.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HexbusAppHttpProcessTest {

    private static final Duration START = Duration.ofSeconds(60);
    private static final String TOKEN = "process-test-token-0123456789";
    private static final Pattern LISTENING = Pattern.compile("HTTP on 127\\.0\\.0\\.1:(\\d+)");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ChildApp> children = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException {
        for (ChildApp child : children) {
            child.close();
        }
        prefixes.forEach(WiredApp::deleteKeys);
    }

    private ChildApp start(Map<String, String> environment) throws IOException {
        Map<String, String> env = new HashMap<>(environment);
        env.put("HTTP_ENABLED", "true");
        env.putIfAbsent("HTTP_PORT", "0");
        env.put("HEXBUS_ADMIN_TOKEN", TOKEN);
        ChildApp child = ChildApp.start(HexbusApp.class, env);
        children.add(child);
        return child;
    }

    private static int port(ChildApp app) {
        int index = app.awaitLine("HTTP on 127.0.0.1:", START);
        String line = app.lines().get(index);
        Matcher matcher = LISTENING.matcher(line);
        assertTrue(matcher.find(), line);
        return Integer.parseInt(matcher.group(1));
    }

    private HttpResponse<String> get(int port, String path, boolean withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (withToken) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void inMemoryItServesAfterTheTourUntilSigtermAndNeverLogsTheToken() throws Exception {
        ChildApp app = start(Map.of());
        int port = port(app);
        app.awaitLine("Serving HTTP on port " + port, START);

        HttpResponse<String> health = get(port, "/health", false);
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"transport\":\"in-memory\""), health.body());
        HttpResponse<String> stats = get(port, "/api/v1/queues/stats", true);
        assertEquals(200, stats.statusCode(), stats.body());
        assertTrue(stats.body().contains("\"queue\":false"), stats.body());
        assertEquals(401, get(port, "/api/v1/queues/stats", false).statusCode());

        HttpResponse<String> again = post(port, "/api/v1/sample/invoices/inv-1/issue", "{\"performedBy\":\"u-1\"}");
        assertEquals(409, again.statusCode(), "the tour issued inv-1: " + again.body());
        HttpResponse<String> signUp = post(port, "/api/v1/sample/signups", "{\"email\":\"bea@example.com\",\"name\":\"Bea\"}");
        assertEquals(201, signUp.statusCode(), signUp.body());
        assertTrue(signUp.body().contains("\"eventName\":\"identity.welcome-email-requested\""), signUp.body());

        app.sigterm();
        assertEquals(0, app.awaitExit(START), app::output);
        assertFalse(app.output().contains(TOKEN), "the token is never logged");
    }

    @Test
    void withADatabaseHealthAndMetricsShowTheOutboxAndThePasswordIsNeverLogged() throws Exception {
        try (TestPostgres postgres = TestPostgres.create()) {
            String password = "p%40ss%3Aw%2Frd%23%3F"; // p@ss:w/rd#? (the local server's trust auth ignores it)
            String url = postgres.jdbcUrl().contains("password=") ? postgres.jdbcUrl()
                    : postgres.jdbcUrl() + "&password=" + password;
            ChildApp app = start(Map.of("DATABASE_URL", url));
            int port = port(app);
            app.awaitLine("Serving HTTP on port " + port, START);

            HttpResponse<String> health = get(port, "/health", false);
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"outbox\":{\"status\":\"UP\",\"waiting\":0,"), health.body());
            HttpResponse<String> metrics = get(port, "/metrics", true);
            assertEquals(200, metrics.statusCode(), metrics.body());
            assertTrue(metrics.body().contains("\nhexbus_outbox_forwarded 10.0\n"),
                    "the tour's ten events, forwarded before the app served: " + metrics.body());
            assertTrue(metrics.body().contains("\nhexbus_outbox_waiting 0.0\n"), metrics.body());
            HttpResponse<String> again = post(port, "/api/v1/sample/invoices/inv-1/issue",
                    "{\"performedBy\":\"u-1\"}");
            assertEquals(409, again.statusCode(), "the tour issued inv-1, in PostgreSQL: " + again.body());

            app.sigterm();
            assertEquals(0, app.awaitExit(START), app::output);
            assertTrue(app.output().contains("Database: PostgreSQL (DATABASE_URL) at jdbc:postgresql://"), app::output);
            assertTrue(app.output().contains("password=****"), app::output);
            assertFalse(app.output().contains("p@ss") || app.output().contains(password), app::output);
        }
    }

    @Test
    void onTheQueueApiModePublishesThenServesTheAdminOfItsGroup() throws Exception {
        Map<String, String> env = WiredApp.queuedEnvironment(Map.of("HEXBUS_MODE", "api"));
        prefixes.add(env.get("HEXBUS_KEY_PREFIX"));
        ChildApp app = start(env);
        int port = port(app);
        app.awaitLine("Serving HTTP on port " + port, START);
        assertTrue(app.indexOf("Published the tour's events") >= 0, app::output);

        HttpResponse<String> stats = get(port, "/api/v1/queues/stats", true);
        assertEquals(200, stats.statusCode(), stats.body());
        assertTrue(stats.body().contains("\"group\":\"" + RedisTransportSettings.DEFAULT_GROUP + "\""), stats.body());
        assertTrue(stats.body().contains("\"waiting\":10"), "the tour's ten events wait for a worker: " + stats.body());
        HttpResponse<String> health = get(port, "/health", false);
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"workersRunning\":0"), health.body());
        assertTrue(health.body().contains("\"consumerLag\":10"), health.body());

        HttpResponse<String> signUp = post(port, "/api/v1/sample/signups", "{\"email\":\"bea@example.com\",\"name\":\"Bea\"}");
        assertEquals(201, signUp.statusCode(), signUp.body());
        HttpResponse<String> after = get(port, "/api/v1/queues/stats", true);
        assertTrue(after.body().contains("\"waiting\":11"), "the sign-up's event waits too: " + after.body());

        app.sigterm();
        assertEquals(0, app.awaitExit(START), app::output);
        assertTrue(app.indexOf("Stopped (exit code 0)") >= 0, app::output);
    }

    @Test
    void onTheNoneTransportHealthNamesItAndCountsNoWorker() throws Exception {
        ChildApp app = start(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "none"));
        int port = port(app);
        app.awaitLine("Consuming from the none transport, which delivers nothing", START);

        HttpResponse<String> health = get(port, "/health", false);
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"transport\":\"none\""), health.body());
        assertTrue(health.body().contains("\"redisReachable\":null"), health.body());
        assertTrue(health.body().contains("\"workersRunning\":0"), "its worker runs nothing: " + health.body());

        app.sigterm();
        assertEquals(0, app.awaitExit(START), app::output);
    }

    @Test
    void aPortInUseIsAOneLineStartUpErrorWithExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            ChildApp app = start(Map.of("HTTP_PORT", Integer.toString(taken.getLocalPort())));

            assertEquals(2, app.awaitExit(START), app::output);
            assertTrue(app.indexOf("Cannot start: the HTTP server cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    >= 0, app::output);
            List<String> problems = app.lines().stream().filter(line -> line.contains("ERROR")
                    || line.contains("WARN") || line.startsWith("\t") || line.contains("Exception")).toList();
            assertEquals(1, problems.size(), () -> "one line, not Javalin's or Jetty's too:\n" + app.output());
        }
    }
}
