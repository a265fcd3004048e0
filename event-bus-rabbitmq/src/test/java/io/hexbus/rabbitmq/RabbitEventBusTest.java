package io.hexbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.hexbus.api.handling.Tracing;
import io.hexbus.api.conformance.ContractEvents;
import io.hexbus.api.conformance.ContractEvents.ParcelScanned;
import io.hexbus.api.conformance.ContractEvents.ParcelShipped;
import io.hexbus.api.conformance.ContractEvents.UnregisteredEvent;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.UnknownEventTypeException;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.EventTooLargeException;
import io.hexbus.api.publishing.InvalidOrderingKeyException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.codec.EventCodec;
import io.hexbus.rabbitmq.testing.TestRabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RabbitMQ bus publishes to the real broker: messages and their properties, refusals, confirms, outages. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class RabbitEventBusTest {

    private static final String SHIPPED = "contract.parcel-shipped";
    private static final String SCANNED = "contract.parcel-scanned";

    private final RabbitConnectionSettings connection = RabbitConnectionSettings.parse(TestRabbit.url());
    private final RabbitQueueSettings settings = RabbitQueueSettings.defaults("billing")
            .withPrefix(TestRabbit.uniquePrefix());
    private final RabbitNames names = settings.names();
    private final EventCodec codec = EventCodec.of(new EventTypeRegistry().register(ParcelShipped.class)
            .register(ParcelScanned.class));
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final DeliveryObserver observer = new DeliveryObserver() {
        @Override
        public void published(String eventName, UUID eventId, boolean duplicate) {
            published.add(eventName + " " + eventId + (duplicate ? " duplicate" : ""));
        }
    };
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        TestRabbit.deleteAll(names);
    }

    @Test
    void anEventIsOnePersistentJsonMessageRoutedByItsNameWithItsHeaders() throws Exception {
        RabbitEventBus bus = connect();
        declareQueue();
        ParcelShipped event = ContractEvents.shipped(1);

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(event));

        GetResponse message = drain(names.workQueue(), 1).get(0);
        AMQP.BasicProperties properties = message.getProps();
        assertEquals(event, codec.decode(new String(message.getBody(), StandardCharsets.UTF_8)));
        assertEquals(SHIPPED, message.getEnvelope().getRoutingKey());
        assertEquals(2, properties.getDeliveryMode(), "persistent");
        assertEquals("application/json", properties.getContentType());
        assertNotEquals(event.eventId().toString(), properties.getMessageId(), "the message's own id");
        UUID.fromString(properties.getMessageId());
        Map<String, Object> headers = properties.getHeaders();
        assertEquals(SHIPPED, headers.get("hexbus-name").toString());
        assertEquals(event.eventId().toString(), headers.get("hexbus-id").toString());
        assertEquals(0, headers.get("hexbus-round"));
        assertEquals(event.eventId().toString(), headers.get("hexbus-lineage").toString());
        Instant.parse(headers.get("hexbus-published-at").toString());
        assertEquals(List.of(SHIPPED + " " + event.eventId()), published, "the observer heard of it");
    }

    @Test
    void publishAllReturnsOnceEveryEventIsConfirmed() throws Exception {
        RabbitEventBus bus = connect();
        declareQueue();
        List<ParcelShipped> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(ContractEvents.shipped(i));
        }

        List<PublishOutcome> outcomes = bus.publishAll(events);

        assertEquals(50, outcomes.size());
        assertTrue(outcomes.stream().allMatch(PublishOutcome.PUBLISHED::equals));
        try (Channel channel = admin().createChannel()) {
            assertEquals(50, channel.queueDeclarePassive(names.workQueue()).getMessageCount(),
                    "every confirmed message is in the queue");
        }
        assertEquals(events.stream().map(e -> e.eventId().toString()).sorted().toList(),
                drain(names.workQueue(), 50).stream().map(m -> m.getProps().getHeaders().get("hexbus-id").toString())
                        .sorted().toList());
    }

    @Test
    void aRefusedEventRefusesItsWholeBatchBeforeAnythingIsSentWithTheContractsExceptions() throws Exception {
        RabbitEventBus bus = connect();
        declareQueue();
        List<DomainEvent> unregisteredLast = List.of(ContractEvents.shipped(1),
                new UnregisteredEvent(UUID.randomUUID(), Instant.now()));
        List<DomainEvent> tooLargeFirst = List.of(ContractEvents.shippedWithNote(2, "x".repeat(codec.maxBytes())),
                ContractEvents.shipped(3));
        List<DomainEvent> blankKey = List.of(ContractEvents.shipped(4), ContractEvents.scanned(" ", 5));

        assertThrows(UnknownEventTypeException.class, () -> bus.publishAll(unregisteredLast));
        assertThrows(EventTooLargeException.class, () -> bus.publishAll(tooLargeFirst));
        assertThrows(InvalidOrderingKeyException.class, () -> bus.publishAll(blankKey));

        assertEquals(PublishOutcome.PUBLISHED, bus.publish(ContractEvents.shipped(6)));
        drain(names.workQueue(), 1);
        try (Channel channel = admin().createChannel()) {
            assertEquals(0, channel.queueDeclarePassive(names.workQueue()).getMessageCount(),
                    "only the event published after the refusals was sent");
        }
        assertEquals(1, published.size());
    }

    @Test
    void anEventNoQueueIsBoundForIsKeptInTheUnroutedQueueAndCounted() throws Exception {
        RabbitEventBus bus = connect();
        ParcelScanned event = ContractEvents.scanned("parcel-1", 1);

        bus.publish(event);

        try (RabbitQueueAdmin admin = RabbitQueueAdmin.connect(connection, settings,
                RabbitWorkerSettings.defaults())) {
            assertEquals(1, admin.unrouted());
        }

        GetResponse message = drain(names.unroutedQueue(), 1).get(0);
        assertEquals(event.eventId().toString(), message.getProps().getHeaders().get("hexbus-id").toString());
    }

    @Test
    void aNegativeConfirmFailsThePublishAsUnavailable() throws Exception {
        RabbitEventBus bus = connect();
        try (Channel channel = admin().createChannel()) {
            // A queue that refuses every message: the broker answers the publish with a nack.
            channel.queueDeclare(names.workQueue(), true, false, false, Map.of("x-max-length", 0,
                    "x-overflow", "reject-publish"));
            channel.queueBind(names.workQueue(), names.exchange(), SHIPPED);
        }

        EventPublishingException refused = assertThrows(EventPublishingException.class,
                () -> bus.publish(ContractEvents.shipped(1)));

        assertInstanceOf(TransportUnavailableException.class, refused.getCause());
        assertTrue(refused.getMessage().contains("negative confirm"), refused.getMessage());
        assertTrue(refused.getMessage().contains(connection.describe()), refused.getMessage());
        assertEquals(List.of(), published);
    }

    @Test
    void aLostConnectionIsOpenedAgainByTheNextPublish() throws Exception {
        List<Connection> opened = new CopyOnWriteArrayList<>();
        RabbitEventBus bus = RabbitEventBus.open(() -> {
            Connection c = connection.connect("hexbus-test bus", settings.commandTimeout());
            opened.add(c);
            return c;
        }, "RabbitMQ at " + connection.describe(), settings, codec, observer, Tracing.NONE);
        toClose.add(bus);
        declareQueue();
        bus.publish(ContractEvents.shipped(1));

        opened.get(0).close();
        bus.publish(ContractEvents.shipped(2));

        assertEquals(2, opened.size());
        assertEquals(2, drain(names.workQueue(), 2).size());
    }

    @Test
    void aBrokerThatCannotBeReachedFailsWithinTheTimeoutNamingHostAndPort() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RabbitConnectionSettings nowhere = RabbitConnectionSettings.parse("amqp://127.0.0.1:" + closedPort);

        TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
                () -> RabbitEventBus.connect(nowhere, settings.withCommandTimeout(Duration.ofSeconds(2)), codec,
                        observer));

        assertTrue(refused.getMessage().contains("127.0.0.1:" + closedPort), refused.getMessage());
    }

    @Test
    void aClosedBusRefusesAsUnavailable() {
        RabbitEventBus bus = connect();
        bus.close();

        EventPublishingException refused = assertThrows(EventPublishingException.class,
                () -> bus.publish(ContractEvents.shipped(1)));

        assertInstanceOf(TransportUnavailableException.class, refused.getCause());
        assertTrue(refused.getMessage().contains("closed") && refused.getMessage().contains(connection.describe()),
                refused.getMessage());
    }

    private RabbitEventBus connect() {
        RabbitEventBus bus = RabbitEventBus.connect(connection, settings, codec, observer);
        toClose.add(bus);
        return bus;
    }

    private void declareQueue() {
        RabbitTopology.declare(admin(), settings);
    }

    private Connection admin() {
        Connection admin = connection.connect("hexbus-test admin", Duration.ofSeconds(10));
        toClose.add(0, admin);
        return admin;
    }

    private List<GetResponse> drain(String queue, int expected) throws Exception {
        List<GetResponse> messages = new ArrayList<>();
        try (Channel channel = admin().createChannel()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                GetResponse got;
                while (messages.size() < expected && (got = channel.basicGet(queue, true)) != null) {
                    messages.add(got);
                }
                return messages.size() >= expected;
            });
        }
        assertEquals(expected, messages.size());
        return messages;
    }
}
