package io.hexbus.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(value = 2, unit = TimeUnit.MINUTES) // a transport that connects would run the app until stopped
class HexbusAppTest {

    @Test
    void runsTheInvoiceFlowInMemoryByDefault() {
        assertEquals(0, new HexbusApp(Map.of()).run());
        assertEquals(0, new HexbusApp(Map.of("USE_QUEUE_EVENT_BUS", "false")).run());
    }

    @Test
    void aValueOtherThanTrueOrFalseStopsTheAppNamingTheVariable() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> TransportChoice.from(Map.of("USE_QUEUE_EVENT_BUS", "maybe")));

        assertEquals("USE_QUEUE_EVENT_BUS='maybe' is not allowed: use true (a queue, which HEXBUS_TRANSPORT names)"
                + " or false (in-memory, the default)", thrown.getMessage());
        assertEquals(2, new HexbusApp(Map.of("USE_QUEUE_EVENT_BUS", "maybe")).run());
    }

    @Test
    void aWorkerWithoutTheQueueOrAnUnknownDisabledSubscriptionIsAConfigurationError() {
        assertEquals(2, new HexbusApp(Map.of("HEXBUS_MODE", "worker")).run());
        assertEquals(2, new HexbusApp(Map.of("HEXBUS_DISABLED_SUBSCRIPTIONS", "notifications.send-welcome-mail")).run());
    }

    @Test
    void disablingTheAuditStillRunsTheRestOfTheTour() {
        assertEquals(0, new HexbusApp(Map.of("HEXBUS_DISABLED_SUBSCRIPTIONS",
                "io.hexbus.sample.invoicing.application.RecordInvoiceAudit")).run());
    }

    @Test
    void trueSelectsTheQueue() {
        assertEquals(TransportChoice.QUEUE, TransportChoice.from(Map.of("USE_QUEUE_EVENT_BUS", "TRUE")));
    }

    @Test
    void theNoneTransportRunsTheTourInApiModeAndExitsZero() {
        assertEquals(0, new HexbusApp(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "none",
                "HEXBUS_MODE", "api")).run());
    }

    @Test
    void anUnknownTransportNameOrOneWithoutTheQueueIsAConfigurationError() {
        assertEquals(2, new HexbusApp(Map.of("USE_QUEUE_EVENT_BUS", "true", "HEXBUS_TRANSPORT", "activemq")).run());
        assertEquals(2, new HexbusApp(Map.of("HEXBUS_TRANSPORT", "none")).run());
    }
}
