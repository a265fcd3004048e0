package io.hexbus.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.ConnectionFactory;
import io.hexbus.adapters.http.AdminHttpServer;
import io.hexbus.adapters.http.HttpSettings;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventMetadata;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.rabbitmq.testing.TestRabbit;
import io.hexbus.sample.identity.domain.WelcomeEmailRequested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The app on a RabbitMQ that cannot be reached: at start it stops with exit code 2, as on Redis and Kafka; once
 * started through a relay to the shared test broker that is then cut (the broker itself keeps running for the other
 * tests), a publish fails within the bound its command timeout sets, naming the broker and never the password, and
 * the HTTP API answers 503 or 504 as on Redis and Kafka: the sample's routes, which publish, and the admin API.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RabbitUnreachableThroughTheAppTest {

    private static final String TOKEN = "unreachable-test-token-0123456789";
    /** The relay's URL up to its password, which no message may quote. */
    private static final String PASSWORD_IN_URL = "amqp://guest:guest@";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aRabbitThatCannotBeReachedAtStartIsExitCode2() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertEquals(2, new HexbusApp(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "rabbitmq",
                "RABBITMQ_URL", "amqp://127.0.0.1:" + closedPort, "HEXBUS_RABBITMQ_COMMAND_TIMEOUT_MS", "1000",
                "HEXBUS_RABBITMQ_PREFIX", TestRabbit.uniquePrefix())).run());
    }

    @Test
    void aRabbitThatGoesAwayFailsPublishNamingTheBrokerAndTheHttpApiAnswers503Or504() {
        ConnectionFactory broker = TestRabbit.factory();
        try (TcpRelay relay = TcpRelay.to(broker.getHost(), broker.getPort())) {
            WiredApp app = WiredApp.queued(QueueChoice.RABBITMQ, Map.of("RABBITMQ_URL", "amqp://"
                    + broker.getUsername() + ":" + broker.getPassword() + "@127.0.0.1:" + relay.port()
                    + "/" + (broker.getVirtualHost().equals("/") ? "%2F" : broker.getVirtualHost()),
                    "HEXBUS_RABBITMQ_COMMAND_TIMEOUT_MS", "1000"));
            QueuedTransport transport = app.injector.getInstance(QueuedTransport.class);
            AdminHttpServer server = AdminHttpServer.start(new HttpSettings(true, "127.0.0.1", 0, Optional.of(TOKEN),
                    false), Optional.of(transport), () -> 1, Optional.of(app.sample().httpRoutes()));
            try {
                assertEquals(201, signUp(server, "ada@example.com").statusCode(), "published while RabbitMQ is there");

                relay.close();

                EventPublishingException failed = assertThrows(EventPublishingException.class,
                        () -> app.injector.getInstance(EventBus.class).publish(new WelcomeEmailRequested(
                                EventIds.newId(), Instant.now(), EventMetadata.EMPTY, "user-1", "bob@example.com",
                                "Bob")));
                assertTrue(failed.getMessage().contains("127.0.0.1:" + relay.port()), failed::getMessage);
                assertFalse(failed.getMessage().contains(PASSWORD_IN_URL), failed::getMessage);
                assertTrue(TransportUnavailableException.findIn(failed).isPresent(), "the transport-neutral cause");
                assertQueueProblem(signUp(server, "carla@example.com"));
                assertQueueProblem(send(HttpRequest.newBuilder(uri(server, "/api/v1/queues/stats"))
                        .header("Authorization", "Bearer " + TOKEN)));
            } finally {
                server.close();
                app.close(); // closes the transport, then deletes the queues on the broker itself
            }
        }
    }

    private static void assertQueueProblem(HttpResponse<String> response) {
        JsonNode problem = SampleHttpApiTest.json(response);
        assertTrue(List.of(503, 504).contains(response.statusCode()), response::body);
        assertTrue(List.of("urn:hexbus:problem:queue-unavailable", "urn:hexbus:problem:queue-timeout")
                .contains(problem.path("type").asText()), response::body);
        assertFalse(response.body().contains(PASSWORD_IN_URL), response::body);
    }

    private HttpResponse<String> signUp(AdminHttpServer server, String email) {
        return send(HttpRequest.newBuilder(uri(server, "/api/v1/sample/signups"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"name\":\"Someone\"}")));
    }

    private static URI uri(AdminHttpServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
