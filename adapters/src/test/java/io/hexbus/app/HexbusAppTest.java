package io.hexbus.app;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

        assertEquals("USE_QUEUE_EVENT_BUS='maybe' is not allowed: use true (Redis queue) or false (in-memory,"
                + " the default)", thrown.getMessage());
        assertEquals(2, new HexbusApp(Map.of("USE_QUEUE_EVENT_BUS", "maybe")).run());
    }

    @Test
    void trueSelectsTheQueue() {
        assertEquals(TransportChoice.QUEUE, TransportChoice.from(Map.of("USE_QUEUE_EVENT_BUS", "TRUE")));
    }
}
