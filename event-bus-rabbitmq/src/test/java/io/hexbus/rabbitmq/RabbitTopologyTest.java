package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.hexbus.rabbitmq.testing.TestRabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The topology on the real broker: every name declared, idempotently; a differing declaration named clearly. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class RabbitTopologyTest {

    private final RabbitQueueSettings settings = RabbitQueueSettings.defaults("billing")
            .withPrefix(TestRabbit.uniquePrefix());
    private final RabbitNames names = settings.names();
    private Connection connection;

    @BeforeEach
    void connect() {
        connection = RabbitConnectionSettings.parse(TestRabbit.url()).connect("hexbus-test topology",
                Duration.ofSeconds(10));
    }

    @AfterEach
    void cleanUp() throws Exception {
        connection.close();
        TestRabbit.deleteAll(names);
    }

    @Test
    void everyNameIsDeclaredAndDeclaringAgainChangesNothing() throws Exception {
        RabbitTopology.declare(connection, settings);
        assertDoesNotThrow(() -> RabbitTopology.declare(connection, settings));

        Map<String, String> queues = RabbitTopology.queueTypes(names);
        assertEquals(7 + RetryTier.values().length, queues.size());
        try (Channel channel = connection.createChannel()) {
            for (String queue : queues.keySet()) {
                assertEquals(queue, channel.queueDeclarePassive(queue).getQueue());
            }
            channel.exchangeDeclarePassive(names.exchange());
            channel.exchangeDeclarePassive(names.unroutedExchange());
        }
    }

    @Test
    void anEventPublishedBeforeAnyApplicationIsKeptAsUnroutedAndEveryEventReachesAnApplication() throws Exception {
        RabbitTopology.declareExchange(connection, settings);
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(names.exchange(), "parcel.lost", null, "unbound".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
            assertEquals(List.of("unbound"), drain(channel, names.unroutedQueue(), 1));

            RabbitTopology.declare(connection, settings);
            channel.basicPublish(names.exchange(), "parcel.shipped", null, "first".getBytes(StandardCharsets.UTF_8));
            channel.basicPublish(names.exchange(), "parcel.scanned", null, "second".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
            assertEquals(List.of("first", "second"), drain(channel, names.workQueue(), 2));
            assertEquals(0, channel.queueDeclarePassive(names.unroutedQueue()).getMessageCount());
        }
    }

    @Test
    void aRetryTiersExpiredMessageIsDeadLetteredIntoTheDueQueue() throws Exception {
        RabbitTopology.declare(connection, settings);

        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish("", names.retryQueue(RetryTier.S1.label()),
                    new AMQP.BasicProperties.Builder().deliveryMode(2).build(), "retry".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);

            AtomicReference<GetResponse> due = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                due.set(channel.basicGet(names.dueQueue(), true));
                return due.get() != null;
            });
            assertEquals("retry", new String(due.get().getBody(), StandardCharsets.UTF_8));
            assertNotNull(due.get().getProps().getHeaders().get("x-death"), "dead-lettered by the broker");
            assertEquals("expired", due.get().getProps().getHeaders().get("x-first-death-reason").toString());
        }
    }

    @Test
    void aClassicQueueWhereAQuorumQueueBelongsIsRefusedNamingItTheArgumentBothValuesAndTheFix() throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(names.workQueue(), true, false, false, Map.of());
        }

        RabbitTopologyMismatchException refused = assertThrows(RabbitTopologyMismatchException.class,
                () -> RabbitTopology.declare(connection, settings));

        String message = refused.getMessage();
        assertEquals(names.workQueue(), refused.name());
        assertTrue(message.startsWith("RabbitMQ queue '" + names.workQueue() + "' at RabbitMQ at "), message);
        // The broker names the first argument that differs: for a classic queue, one the quorum queue has and it
        // has not.
        assertTrue(message.contains(" (vhost " + RabbitConnectionSettings.parse(TestRabbit.url()).virtualHost()
                + ") exists with x-dead-letter-exchange unset, but the transport declares it with"
                + " x-dead-letter-exchange ''"), message);
        assertTrue(message.contains("delete it (losing the messages it holds"), message);
        assertTrue(message.contains("or use another prefix"), message);
        assertTrue(connection.isOpen(), "the refusal closed a channel of its own, not the connection");
    }

    @Test
    void anotherRetentionIsRefusedNamingBothValues() {
        RabbitTopology.declare(connection, settings);

        RabbitTopologyMismatchException refused = assertThrows(RabbitTopologyMismatchException.class,
                () -> RabbitTopology.declare(connection, settings.withDedupeWindow(Duration.ofHours(1))));

        assertEquals(names.ledgerStream(), refused.name());
        assertTrue(refused.getMessage().contains("exists with x-max-age '86400s', but the transport declares it with"
                + " x-max-age '3600s'"), refused.getMessage());
    }

    @Test
    void aStreamsMaxAgeIsTheRetentionRoundedUpToSeconds() {
        assertEquals("86400s", RabbitTopology.stream(Duration.ofHours(24)).get("x-max-age"));
        assertEquals("2s", RabbitTopology.stream(Duration.ofMillis(1_001)).get("x-max-age"));
        assertEquals("stream", RabbitTopology.stream(Duration.ofDays(1)).get("x-queue-type"));
    }

    @Test
    void aRefusalTheDescriptionCannotReadIsQuotedWhole() {
        String message = RabbitTopology.describe("exchange", "p.events", "RabbitMQ at h:5672", "PRECONDITION_FAILED"
                + " - something new");

        assertTrue(message.contains("'p.events'") && message.contains("(PRECONDITION_FAILED - something new)")
                && message.contains("delete it (e.g. rabbitmqctl delete_exchange p.events)"), message);
    }

    private static List<String> drain(Channel channel, String queue, int expected) {
        java.util.List<String> bodies = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            GetResponse got = channel.basicGet(queue, true);
            if (got != null) {
                bodies.add(new String(got.getBody(), StandardCharsets.UTF_8));
            }
            return bodies.size() >= expected;
        });
        return bodies;
    }
}
