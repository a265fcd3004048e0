package io.hexbus.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.rabbitmq.testing.TestRabbit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RABBITMQ_URL's form and its overrides, read strictly, never showing the password; and connecting to the real
 * broker, to a wrong password and to a closed port.
 */
class RabbitConnectionSettingsTest {

    /** Every character a URI, a log or a quoting could trip on. */
    private static final String NASTY = " p\"a \\s;s=w@o:r/d% ";

    @Test
    void aFullUriIsReadWithItsPartsPercentDecoded() {
        RabbitConnectionSettings settings = RabbitConnectionSettings.parse(
                "amqp://bill%40ing:" + encode(NASTY) + "@rabbit-1.internal:5673/orders%2Feu");

        assertEquals("rabbit-1.internal", settings.host());
        assertEquals(5673, settings.port());
        assertFalse(settings.tls());
        assertEquals("bill@ing", settings.username());
        assertEquals(NASTY, settings.password());
        assertEquals("orders/eu", settings.virtualHost());
    }

    @Test
    void theDefaultsAreRabbitMqs() {
        RabbitConnectionSettings plain = RabbitConnectionSettings.parse("amqp://localhost");
        RabbitConnectionSettings tls = RabbitConnectionSettings.parse("amqps://[::1]/");

        assertEquals(List.of(5672, "guest", "guest", "/"), List.of(plain.port(), plain.username(), plain.password(),
                plain.virtualHost()));
        assertTrue(tls.tls());
        assertEquals("::1", tls.host());
        assertEquals(5671, tls.port());
        assertEquals("/", tls.virtualHost(), "a bare / is the default vhost, not the empty one");
        assertEquals("/", RabbitConnectionSettings.parse("amqp://h/%2F").virtualHost());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost:5672", "http://localhost", "amqp://", "amqp://:5672", "amqp://h:0",
            "amqp://h:65536", "amqp://h:+1", "amqp://h/a/b", "amqp://h?heartbeat=10", "amqp://h#x",
            "amqp://[::1", "amqp://u:p w@h", "amqp://h h"})
    void aUriThatIsNotAnAmqpUriIsRefusedNamingTheVariable(String uri) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RabbitConnectionSettings.parse(uri));

        assertTrue(refused.getMessage().startsWith("RABBITMQ_URL"), refused.getMessage());
    }

    @Test
    void noDescriptionNorErrorShowsThePassword() {
        RabbitConnectionSettings settings = RabbitConnectionSettings.parse("amqp://svc:" + encode(NASTY) + "@h/v");
        IllegalArgumentException unencoded = assertThrows(IllegalArgumentException.class,
                () -> RabbitConnectionSettings.parse("amqp://svc:se cr@t@h:x"));
        IllegalArgumentException badPort = assertThrows(IllegalArgumentException.class,
                () -> RabbitConnectionSettings.parse("amqp://svc:secret@h:x"));

        for (String shown : List.of(settings.toString(), settings.describe())) {
            assertFalse(shown.contains(NASTY.strip()), shown);
            assertFalse(shown.contains(encode(NASTY)), shown);
            assertFalse(shown.contains("a \\s;s"), shown);
            assertTrue(shown.contains("h:5672") && shown.contains("vhost v"), shown);
        }
        assertTrue(settings.toString().contains("password=***"), settings.toString());
        assertFalse(unencoded.getMessage().contains("cr@t"), unencoded.getMessage());
        assertFalse(badPort.getMessage().contains("secret"), badPort.getMessage());
    }

    @Test
    void theEnvironmentOverridesTheUrisUserPasswordAndVhostAsTheyAre() {
        RabbitConnectionSettings settings = RabbitConnectionSettings.fromEnvironment(Map.of(
                "RABBITMQ_URL", " amqp://u:p@rabbit:5672/a ", "RABBITMQ_USER", "billing",
                "RABBITMQ_PASSWORD", NASTY, "RABBITMQ_VHOST", "%2F"));

        assertEquals("rabbit", settings.host());
        assertEquals("billing", settings.username());
        assertEquals(NASTY, settings.password(), "untrimmed, not decoded");
        assertEquals("%2F", settings.virtualHost(), "not decoded");
        assertEquals(RabbitConnectionSettings.parse("amqp://localhost"),
                RabbitConnectionSettings.fromEnvironment(Map.of()));
    }

    @Test
    void aTruststoreIsReadWithAmqpsOnly(@TempDir Path directory) throws IOException {
        Path store = Files.writeString(directory.resolve("trust.p12"), "not read here");

        RabbitConnectionSettings settings = RabbitConnectionSettings.fromEnvironment(Map.of(
                "RABBITMQ_URL", "amqps://rabbit", "RABBITMQ_TLS_TRUSTSTORE", store.toString(),
                "RABBITMQ_TLS_TRUSTSTORE_PASSWORD", NASTY));
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> RabbitConnectionSettings.fromEnvironment(Map.of("RABBITMQ_URL", "amqp://rabbit",
                        "RABBITMQ_TLS_TRUSTSTORE", store.toString())));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> RabbitConnectionSettings.fromEnvironment(Map.of("RABBITMQ_URL", "amqps://rabbit",
                        "RABBITMQ_TLS_TRUSTSTORE", directory.resolve("none").toString())));

        assertEquals(store, settings.truststore());
        assertEquals(NASTY, settings.truststorePassword());
        assertFalse(settings.toString().contains(NASTY.strip()), settings.toString());
        assertTrue(plain.getMessage().contains("RABBITMQ_TLS_TRUSTSTORE is set but RABBITMQ_URL is amqp://"),
                plain.getMessage());
        assertTrue(missing.getMessage().contains("is not a readable file"), missing.getMessage());
        assertNull(RabbitConnectionSettings.parse("amqps://rabbit").truststore(), "the JVM's trust by default");
    }

    @Test
    void connectOpensAConnectionWithoutAutomaticRecovery() throws Exception {
        RabbitConnectionSettings settings = RabbitConnectionSettings.parse(TestRabbit.url());

        try (Connection connection = settings.connect("hexbus-test settings", Duration.ofSeconds(5))) {
            assertTrue(connection.isOpen());
            assertFalse(connection instanceof Recoverable, "no automatic recovery: " + connection.getClass());
            assertEquals("hexbus-test settings", connection.getClientProvidedName());
            assertFalse(ServerVersion.of(connection).isEmpty());
        }
    }

    @Test
    void aWrongPasswordIsRefusedNamingTheBrokerNotThePassword() {
        RabbitConnectionSettings right = RabbitConnectionSettings.parse(TestRabbit.url());
        RabbitConnectionSettings wrong = new RabbitConnectionSettings(right.host(), right.port(), right.tls(),
                right.username(), "wrong-" + NASTY, right.virtualHost(), null, null);

        TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
                () -> wrong.connect("hexbus-test wrong password", Duration.ofSeconds(5)));

        assertTrue(refused.getMessage().contains(right.describe()), refused.getMessage());
        assertFalse(refused.getMessage().contains("wrong-"), refused.getMessage());
    }

    @Test
    void aClosedPortFailsWithinTheTimeoutNamingHostAndPort() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RabbitConnectionSettings nowhere = RabbitConnectionSettings.parse("amqp://127.0.0.1:" + closedPort);

        TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
                () -> nowhere.connect("hexbus-test nowhere", Duration.ofSeconds(2)));

        assertTrue(refused.getMessage().contains("127.0.0.1:" + closedPort), refused.getMessage());
    }

    @Test
    void tlsToAPlainPortFailsTheHandshakeAsUnavailable() {
        RabbitConnectionSettings right = RabbitConnectionSettings.parse(TestRabbit.url());
        RabbitConnectionSettings tls = new RabbitConnectionSettings(right.host(), right.port(), true,
                right.username(), right.password(), right.virtualHost(), null, null);

        TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
                () -> tls.connect("hexbus-test tls", Duration.ofSeconds(5)));

        assertInstanceOf(TransportUnavailableException.class, refused);
        assertTrue(refused.getMessage().contains("amqps://"), refused.getMessage());
    }

    /** Percent-encodes every byte but the unreserved characters, as a URI's userinfo may hold it. */
    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
