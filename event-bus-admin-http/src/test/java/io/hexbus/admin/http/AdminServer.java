package io.hexbus.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.router.JavalinDefaultRouting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A real Javalin server on a free loopback port with the admin routes mounted, and a client for it. */
final class AdminServer implements AutoCloseable {

    static final String TOKEN = "test-token-0123456789abcdef";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Javalin javalin;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminServer(HexbusAdmin admin) {
        this(routing -> admin.register(routing));
    }

    /** @param routes adds the routes of the app (the admin routes, a host's own) */
    AdminServer(Consumer<JavalinDefaultRouting> routes) {
        this.javalin = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.router.mount(routes);
        }).start("127.0.0.1", 0);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + javalin.port() + path))
                .timeout(Duration.ofSeconds(10));
    }

    HttpRequest.Builder authorized(String path) {
        return request(path).header("Authorization", "Bearer " + TOKEN);
    }

    HttpRequest.Builder postJson(String path, String body) {
        return authorized(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the body of a 200 JSON answer */
    JsonNode ok(HttpRequest.Builder request) {
        HttpResponse<String> response = send(request);
        assertEquals(200, response.statusCode(), response::body);
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return json(response.body());
    }

    /** @return the problem document, checked to have the status and type */
    JsonNode problem(HttpRequest.Builder request, int status, String type) {
        HttpResponse<String> response = send(request);
        assertEquals(status, response.statusCode(), response::body);
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = json(response.body());
        assertEquals(Problem.TYPE_PREFIX + type, problem.path("type").asText(), response::body);
        assertEquals(status, problem.path("status").asInt(), response::body);
        return problem;
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        javalin.stop();
    }
}
