package io.hexbus.spring.boot;

import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API and dashboard as a servlet of a Boot application (below its context path) on its embedded Tomcat, on a
 * free port, over the Redis queue. The application is started as {@code @SpringBootTest} would, without its JUnit extension: Spring's test
 * support needs a newer JUnit than this build runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HexbusAdminServletTest {

    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String group = "starter-admin-test-" + id;
    private final String token = "admin-token-" + id + "-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext context;
    private int port;

    @BeforeAll
    void startTheApplication() {
        RedisConnectionSettings redis = TestRedis.shared();
        context = new SpringApplicationBuilder(App.class).web(WebApplicationType.SERVLET).properties(
                "server.port=0", "server.address=127.0.0.1", "server.servlet.context-path=/app",
                "hexbus.transport=redis",
                "hexbus.redis.url=redis://" + (redis.password() == null ? "" : ":" + redis.password() + "@")
                        + redis.host() + ":" + redis.port() + "/" + redis.database(),
                "hexbus.redis.key-prefix=hexbus-starter-admin-" + id + ":{domain-events}", "hexbus.group=" + group,
                "hexbus.shutdown-deadline=5s", "hexbus.admin.path=/ops/hexbus", "hexbus.admin.token=" + token).run();
        port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    @AfterAll
    void stopTheApplication() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void theStatisticsAnswerTheTokenWithTheGroup() throws Exception {
        HttpResponse<String> stats = get("/app/ops/hexbus/api/v1/queues/stats", "Bearer " + token);

        assertThat(stats.statusCode()).as("%s %s", stats.headers().map(), stats.body()).isEqualTo(200);
        assertThat(stats.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(stats.body()).contains("\"transport\":\"redis\"", "\"queue\":true", "\"group\":\"" + group + "\"");
    }

    @Test
    void withoutTheTokenTheAnswerIsAProblem() throws Exception {
        HttpResponse<String> stats = get("/app/ops/hexbus/api/v1/queues/stats", null);
        HttpResponse<String> unknown = get("/app/ops/hexbus/api/v1/queues/nothing-here",
                "Bearer wrong-token-0123456789");

        assertThat(stats.statusCode()).as("%s %s", stats.headers().map(), stats.body()).isEqualTo(401);
        assertThat(stats.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(stats.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"hexbus-admin\"");
        assertThat(stats.body()).contains("\"type\":\"urn:hexbus:problem:unauthorized\"");
        assertThat(unknown.statusCode()).as("%s %s", unknown.headers().map(), unknown.body()).isEqualTo(401);
        assertThat(unknown.body()).contains("urn:hexbus:problem:unauthorized");
    }

    @Test
    void aMutatingCallReadsItsJsonBodyAndRefusesAnyOtherType() throws Exception {
        HttpResponse<String> clean = post("/app/ops/hexbus/api/v1/queues/clean", "application/json",
                "{\"olderThanSeconds\": 3600}");
        HttpResponse<String> form = post("/app/ops/hexbus/api/v1/queues/clean", "application/x-www-form-urlencoded",
                "olderThanSeconds=3600");

        assertThat(clean.statusCode()).as("%s", clean.body()).isEqualTo(200);
        assertThat(clean.body()).contains("\"olderThanSeconds\":3600", "\"removed\":0");
        assertThat(form.statusCode()).as("%s", form.body()).isEqualTo(415);
        assertThat(form.body()).contains("urn:hexbus:problem:unsupported-media-type");
    }

    @Test
    void anUnknownAdminPathWithTheTokenIsNotFound() throws Exception {
        HttpResponse<String> unknown = get("/app/ops/hexbus/api/v1/queues/nothing-here", "Bearer " + token);

        assertThat(unknown.statusCode()).as("%s", unknown.body()).isEqualTo(404);
        assertThat(unknown.body()).contains("urn:hexbus:problem:not-found");
    }

    @Test
    void aCookieIsNoToken() throws Exception {
        HttpResponse<String> stats = http.send(HttpRequest.newBuilder(uri("/app/ops/hexbus/api/v1/queues/stats"))
                .header("Cookie", "token=" + token).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(stats.statusCode()).as("%s %s", stats.headers().map(), stats.body()).isEqualTo(401);
    }

    @Test
    void theDashboardIsServedBelowThePathWithItsPolicy() throws Exception {
        HttpResponse<String> page = get("/app/ops/hexbus/ui", null);
        HttpResponse<String> script = get("/app/ops/hexbus/ui/app.js", null);

        assertThat(page.statusCode()).as("%s %s", page.headers().map(), page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                assertThat(policy).startsWith("default-src 'none'; script-src 'self';")
                        .contains("frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(page.body()).contains("<title>hexbus dashboard</title>",
                "src=\"/app/ops/hexbus/ui/app.js\"", "href=\"/app/ops/hexbus/ui/app.css\"").doesNotContain("=\"/ui/");
        assertThat(script.statusCode()).as("%s %s", script.headers().map(), script.body()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/javascript"));
    }

    private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String contentType, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    // The test class path holds JDBC for the outbox's tests; this application has no database.
    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    static class App {
    }
}
