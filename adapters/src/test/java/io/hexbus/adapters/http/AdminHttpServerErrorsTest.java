package io.hexbus.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hexbus.admin.http.Problem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error the server sends is {@code application/problem+json}, also those Jetty sends before any route runs
 * (a request it cannot parse, a URL or headers too large): checked with requests written byte by byte on a socket,
 * since an HTTP client library would refuse to send most of them.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class AdminHttpServerErrorsTest {

    private AdminHttpServer server;

    @BeforeEach
    void start() {
        server = AdminHttpServer.start(new HttpSettings(true, "127.0.0.1", 0,
                Optional.of(AdminHttpServerInMemoryTest.TOKEN), false), Optional.empty(), () -> 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A response as it came off the socket, its header names in lower case. */
    private record Raw(int status, Map<String, String> headers, String body) {

        JsonNode assertProblem(int expectedStatus, String type) throws IOException {
            assertEquals(expectedStatus, status, this::toString);
            assertEquals("application/problem+json", headers.getOrDefault("content-type", "").split(";")[0].trim(),
                    this::toString);
            JsonNode problem = HttpTestClient.JSON.readTree(body);
            assertEquals(Problem.TYPE_PREFIX + type, problem.path("type").asText(), this::toString);
            assertEquals(expectedStatus, problem.path("status").asInt(), this::toString);
            assertFalse(problem.path("title").asText().isEmpty(), this::toString);
            assertFalse(problem.path("detail").asText().isEmpty(), this::toString);
            assertFalse(body.toLowerCase(Locale.ROOT).contains("jetty"), "no server name: " + body);
            assertFalse(headers.containsKey("server"), "no Server header: " + headers);
            return problem;
        }
    }

    private Raw send(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(socket.getInputStream());
        }
    }

    private Raw request(String target) throws IOException {
        return send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    private static Raw parse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed in the headers: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                chunks.write(in.readNBytes(size));
                readLine(in);
            }
            body = chunks.toByteArray();
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes();
        }
        return new Raw(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aNulInThePathIsA400Problem() throws IOException {
        request("/%00").assertProblem(400, "bad-request");
        request("/api/v1/queues/failed/%00").assertProblem(400, "bad-request");
    }

    @Test
    void aUrlOver8KiBIsA414Problem() throws IOException {
        request("/health?x=" + "a".repeat(9 * 1024)).assertProblem(414, "uri-too-long");
    }

    @Test
    void headersOver8KiBAreA431Problem() throws IOException {
        send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(9 * 1024) + "\r\nConnection: close"
                + "\r\n\r\n").assertProblem(431, "headers-too-large");
    }

    @Test
    void aRequestThatIsNotHttpIsA400Problem() throws IOException {
        send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nBroken header line\r\n\r\n").assertProblem(400,
                "bad-request");
    }

    @Test
    void anUnsupportedHttpVersionIsAProblem() throws IOException {
        Raw raw = send("GET /health HTTP/7.0\r\nHost: 127.0.0.1\r\n\r\n");

        assertTrue(raw.status() >= 400, raw::toString);
        raw.assertProblem(raw.status(), raw.status() == 505 ? "http-version-not-supported" : "bad-request");
    }

    @Test
    void anUnknownRouteIsA404ProblemOnTheWireToo() throws IOException {
        request("/no/such/route").assertProblem(404, "not-found");
    }

    @Test
    void theServerStillAnswersAfterwards() throws IOException {
        request("/%00");
        Raw health = request("/health");

        assertEquals(200, health.status(), health::toString);
    }

    @Test
    void aPortInUseIsOneIllegalStateExceptionNamingTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> AdminHttpServer.start(
                    new HttpSettings(true, "127.0.0.1", taken.getLocalPort(), Optional.empty(), false),
                    Optional.empty(), () -> 0));

            assertTrue(e.getMessage().startsWith("the HTTP server cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " (HTTP_HOST, HTTP_PORT): "), e.getMessage());
        }
    }
}
