package io.hexbus.opentelemetry;

import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.codec.EventCodec;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.outbox.OutboxEventBus;
import io.hexbus.outbox.OutboxRelay;
import io.hexbus.outbox.OutboxRelaySettings;
import io.hexbus.outbox.OutboxSchema;
import io.hexbus.outbox.testing.PostgresDatabase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.hexbus.opentelemetry.MessagingAttributes.MESSAGE_ID;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Through the JDBC outbox on a real PostgreSQL: the row keeps the trace context of the use case's publish, and the
 * relay's forward hands it on, so the handler runs in the request's trace although the relay's thread has none.
 */
class OutboxTracingTest {

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    private final TestTracing otel = new TestTracing();
    private final DomainEventsProcessor processor = new DomainEventsProcessor(new EventTypeRegistry());
    private final EventCodec codec = EventCodec.of(processor.eventTypes());
    private final InMemoryEventBus transport = new InMemoryEventBus(processor);
    private OutboxRelay relay;

    @BeforeAll
    static void schema() {
        OutboxSchema.migrate(postgres.dataSource());
    }

    @AfterEach
    void close() {
        if (relay != null) {
            relay.close();
        }
        transport.close();
        otel.close();
    }

    @Test
    void aRelayedEventIsHandledInTheTraceOfTheUseCaseThatWroteIt() {
        HexbusTracing.install(otel.openTelemetry(), processor);
        processor.register(OrderPlaced.class, "billing.invoice", event -> { });
        JdbcUnitOfWork units = new JdbcUnitOfWork(postgres.dataSource());
        OutboxEventBus outbox = new OutboxEventBus(units, codec, Clock.systemUTC(), processor.tracing());
        relay = new OutboxRelay(postgres.dataSource(), codec, transport, OutboxRelaySettings.defaults()
                .withName("relay-" + UUID.randomUUID()).withPollInterval(Duration.ofMillis(50)), Clock.systemUTC(),
                processor);
        relay.start();
        OrderPlaced event = OrderPlaced.of("order-1");

        Span request = otel.startRequest();
        try (Scope ignored = request.makeCurrent()) {
            units.run(() -> outbox.publish(event));
        } finally {
            request.end();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> otel.spans(SpanKind.CONSUMER).size() == 1);
        SpanData handled = otel.spans(SpanKind.CONSUMER).get(0);
        List<SpanData> created = otel.spans(SpanKind.PRODUCER);
        assertEquals(1, created.size(), "the relay's forward reuses the row's context: " + created);
        assertEquals(request.getSpanContext().getTraceId(), handled.getTraceId());
        assertEquals(created.get(0).getSpanId(), handled.getParentSpanId());
        assertEquals(event.eventId().toString(), handled.getAttributes().get(MESSAGE_ID));
    }
}
