package io.hexbus.redis;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.redis.testing.RedisServerProcess;
import io.hexbus.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis refuses us: a user without rights, a certificate we do not trust. Each fails fast and clearly, once. */
class RedisAccessTest {

    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());

    @Test
    void anAclUserWithoutRightsFailsAtConnectNamingTheRefusal() throws Exception {
        try (RedisServerProcess server = TestRedis.startPrivate()) {
            Process acl = new ProcessBuilder("redis-cli", "-p", Integer.toString(server.port()), "ACL", "SETUSER",
                    "nobody", "on", ">nobody-secret", "-@all", "+ping").redirectErrorStream(true).start();
            assertTrue(new String(acl.getInputStream().readAllBytes()).trim().equals("OK"), "the user was created");
            RedisConnectionSettings nobody = new RedisConnectionSettings("127.0.0.1", server.port(), false, "nobody",
                    "nobody-secret", 0);

            RedisUnavailableException thrown = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(
                    RedisUnavailableException.class,
                    () -> RedisTransport.connect(nobody, RedisQueueSettings.defaults("access"), processor)));

            assertTrue(thrown.getMessage().startsWith("cannot use Redis at redis://nobody@127.0.0.1:" + server.port()
                    + "/0: "), thrown.getMessage());
            assertTrue(thrown.getMessage().contains("NOPERM"), thrown.getMessage());
            assertFalse(thrown.getMessage().contains("nobody-secret"), thrown.getMessage());
        }
    }

    @Test
    @SuppressWarnings("try") // the server only has to run while the client tries it
    void tlsWithAnUntrustedCertificateFailsFastNamingTheServer(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost")
                .redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl made a certificate");
        int tlsPort = RedisServerProcess.freePort();
        try (RedisServerProcess server = TestRedis.startPrivate("--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(), "--tls-ca-cert-file",
                cert.toString(), "--tls-auth-clients", "no")) {
            RedisConnectionSettings tls = new RedisConnectionSettings("127.0.0.1", tlsPort, true, null, null, 0);

            RedisUnavailableException thrown = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                    RedisUnavailableException.class,
                    () -> RedisTransport.connect(tls, RedisQueueSettings.defaults("access"), processor)));

            assertTrue(thrown.getMessage().startsWith("cannot use Redis at rediss://127.0.0.1:" + tlsPort + "/0: "),
                    thrown.getMessage());
        }
    }
}
