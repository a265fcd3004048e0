package io.hexbus.kafka;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventIds;
import io.hexbus.api.event.EventName;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.testing.TestLogs;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.kafka.testing.SaslKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SASL settings against a real broker whose client listener asks for a SASL/PLAIN login: the transport logs in
 * with a password full of the characters the JAAS grammar quotes, publishes and consumes; a wrong password is
 * refused at connect with the transport-neutral exception naming the servers; no log line holds the password.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaSaslConnectionTest {

    private static final String USER = "hexbus-app";
    private static final String PASSWORD = " p\"a;s=s\\w o'r}d{ ;= ";

    /** The event of this test. */
    @EventName("sasl-test.pinged")
    public record Pinged(UUID eventId, Instant occurredAt) implements DomainEvent {
    }

    @Test
    void aSaslPlainLoginWithReservedCharactersInThePasswordPublishesAndConsumesAndAWrongOneIsRefused()
            throws IOException {
        Path brokerLog = TestLogs.file("sasl-broker");
        try (SaslKafkaBroker broker = SaslKafkaBroker.start(USER, PASSWORD, brokerLog)) {
            KafkaQueueSettings settings = KafkaQueueSettings.defaults("sasl-test")
                    .withTopicPrefix("hexbus-test." + UUID.randomUUID()).withPartitions(1).withReplication(1, 1)
                    .withCommandTimeout(Duration.ofSeconds(5));
            Set<UUID> handled = ConcurrentHashMap.newKeySet();
            DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
            processor.register(Pinged.class, "sasl-test.handler", (Pinged event) -> handled.add(event.eventId()));

            KafkaConnectionSettings login = KafkaConnectionSettings.fromEnvironment(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", broker.saslBootstrapServers(),
                    "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_USERNAME", USER,
                    "KAFKA_SASL_PASSWORD", PASSWORD));
            try (KafkaTransport transport = KafkaTransport.connect(login, settings, processor)) {
                transport.startWorker();
                Pinged event = new Pinged(EventIds.newId(), Instant.now());
                transport.eventBus().publish(event);

                await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains(event.eventId()));
            }

            KafkaConnectionSettings wrong = login.withSasl(java.util.Optional.of(
                    new KafkaSasl(KafkaSasl.Mechanism.PLAIN, USER, PASSWORD + "x")));
            TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
                    () -> KafkaTransport.connect(wrong, settings, processor).close());
            assertTrue(refused.getMessage().contains(broker.saslBootstrapServers()), refused::getMessage);
            assertFalse(refused.getMessage().contains(PASSWORD.strip()), refused::getMessage);
        }
        // The clients log their configuration at INFO when they start: the JAAS configuration shows as [hidden].
        Path testLog = brokerLog.resolveSibling(brokerLog.getFileName().toString().replace(".sasl-broker.log", ".log"));
        if (Files.exists(testLog) && !testLog.equals(brokerLog)) { // the per-test logs of the build, not an IDE's run
            String logged = Files.readString(testLog);
            assertTrue(logged.contains("sasl.jaas.config = [hidden]"), "the clients' configuration was logged");
            assertFalse(logged.contains(PASSWORD.strip()), "no log line holds the password");
        }
    }
}
