package io.hexbus.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.inmemory.NoDeliveryTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The app wired by the composition root with {@code HEXBUS_TRANSPORT=none}: the whole sample tour runs and every
 * use case succeeds, its events are accepted and counted, and nothing is delivered: no mail reaches the SMTP
 * server, no audit entry is written, though a worker was started as the app starts one.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class NoDeliveryAppTest {

    @RegisterExtension
    final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private final List<String> published = new CopyOnWriteArrayList<>();
    private WiredApp app;

    @BeforeEach
    void wire() {
        app = WiredApp.noDelivery(Map.of("SMTP_HOST", greenMail.getSmtp().getBindTo(),
                "SMTP_PORT", Integer.toString(greenMail.getSmtp().getPort()),
                "MAIL_FROM", "no-reply@hexbus.example"));
        app.injector.getInstance(DomainEventsProcessor.class).addObserver(new DeliveryObserver() {
            @Override
            public void published(String eventName, UUID eventId, boolean duplicate) {
                published.add(eventName);
            }
        });
    }

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void theTourSucceedsItsEventsAreCountedAndNothingIsDelivered() {
        assertTrue(SampleTour.run(app.sample()), "every use case of the tour succeeds");

        assertEquals(10, published.size(), () -> "the tour's ten mail events (the invoice and nine others): "
                + published);
        QueueStats stats = app.injector.getInstance(QueueAdmin.class).stats();
        assertEquals(new QueueStats(NoDeliveryTransport.GROUP, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10), stats);
        assertEquals(0, greenMail.getReceivedMessages().length, "no mail handler ran");
        assertEquals(List.of(), app.sample().auditLog.entries(), "no audit handler ran");
    }

    @Test
    void theAppHoldsTheTransportAsThePortOnly() {
        QueuedTransport transport = app.injector.getInstance(QueuedTransport.class);

        assertInstanceOf(NoDeliveryTransport.class, transport);
        assertEquals(transport.eventBus(), app.injector.getInstance(EventBus.class));
    }
}
