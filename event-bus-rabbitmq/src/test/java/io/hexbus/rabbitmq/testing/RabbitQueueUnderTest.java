package io.hexbus.rabbitmq.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.conformance.QueueTestSettings;
import io.hexbus.api.conformance.QueuedTransportUnderTest;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.engine.worker.EngineWorker;
import io.hexbus.rabbitmq.RabbitConnectionSettings;
import io.hexbus.rabbitmq.RabbitQueueSettings;
import io.hexbus.rabbitmq.RabbitTransport;
import io.hexbus.rabbitmq.RabbitWorkerSettings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/**
 * A queue of the RabbitMQ transport for {@link io.hexbus.api.conformance.QueuedTransportContract}: a prefix of its
 * own on the test broker ({@link TestRabbit}), every transport it connects on that prefix and group, everything
 * declared deleted when it closes. A crash is a close past a short shutdown deadline: the worker interrupts its
 * handlers and closes its connection without acknowledging them, so the broker returns them to the queue. Raw
 * messages are published with a plain channel, as a foreign producer would.
 */
public final class RabbitQueueUnderTest implements QueuedTransportUnderTest {

    private final RabbitConnectionSettings connection = RabbitConnectionSettings.parse(TestRabbit.url());
    private final RabbitQueueSettings base = RabbitQueueSettings.defaults("contract")
            .withPrefix(TestRabbit.uniquePrefix()).withCommandTimeout(Duration.ofSeconds(5));
    private final List<RabbitTransport> transports = new CopyOnWriteArrayList<>();
    private final List<EngineWorker> workers = new CopyOnWriteArrayList<>();
    // Reads the statistics whatever the test closed: a transport of its own, with no worker.
    private final RabbitTransport observer = connectObserver();

    private RabbitTransport connectObserver() {
        DomainEventsProcessor nothing = new DomainEventsProcessor(new EventTypeRegistry());
        return RabbitTransport.connect(connection, base, workerSettings(QueueTestSettings.DEFAULTS), nothing,
                EventCodec.of(nothing.eventTypes()));
    }

    /** @return the settings of this queue */
    public RabbitQueueSettings settings() {
        return base;
    }

    @Override
    public QueuedTransport connect(DomainEventsProcessor processor, QueueTestSettings settings) {
        RabbitTransport transport = RabbitTransport.connect(connection, base, workerSettings(settings), processor,
                EventCodec.of(processor.eventTypes()));
        transports.add(transport);
        return transport;
    }

    private static RabbitWorkerSettings workerSettings(QueueTestSettings settings) {
        EngineSettings engine = EngineSettings.defaults().withVisibilityTimeout(settings.leaseTimeout())
                .withShutdownDeadline(settings.shutdownDeadline()).withConcurrency(settings.concurrency())
                .withBlockTimeout(Duration.ofMillis(200));
        return RabbitWorkerSettings.defaults().withEngine(engine);
    }

    @Override
    public QueueWorker startWorker(QueuedTransport transport) {
        EngineWorker worker = ((RabbitTransport) transport).startWorker();
        workers.add(worker);
        return worker;
    }

    @Override
    public void crash(QueuedTransport transport) {
        transport.close();
    }

    @Override
    public void injectRaw(UUID eventId, String eventName, String body) {
        try (Connection raw = TestRabbit.factory().newConnection("hexbus-test-raw");
             Channel channel = raw.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
                    .headers(Map.of("hexbus-name", eventName, "hexbus-id", eventId.toString())).build();
            channel.basicPublish(base.names().exchange(), eventName, properties,
                    body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish a raw message", e);
        }
    }

    @Override
    public void awaitIdle(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            QueueStats stats = observer.admin().stats();
            return stats.waiting() == 0 && stats.active() == 0 && stats.reserved() == 0 && stats.retryScheduled() == 0
                    && workers.stream().allMatch(w -> w.inFlight() == 0);
        });
    }

    @Override
    public void close() {
        transports.forEach(RabbitTransport::close);
        observer.close();
        TestRabbit.deleteAll(base.names());
    }
}
