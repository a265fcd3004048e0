package io.hexbus.outbox;

import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishFailuresTest {

    @Test
    void aStatementOrLockTimeoutIsATransportTimeout() {
        for (String state : new String[] {"57014", "55P03"}) {
            SQLException timeout = new SQLException("canceling statement", state);

            EventPublishingException e = PublishFailures.of(3, timeout);

            assertInstanceOf(TransportTimeoutException.class, e.getCause(), state);
            assertSame(timeout, e.getCause().getCause());
        }
    }

    @Test
    void aLostConnectionOrAServerShuttingDownIsAnOutage() {
        for (String state : new String[] {"08006", "08001", "57P01"}) {
            EventPublishingException e = PublishFailures.of(1, new SQLException("gone", state));

            assertInstanceOf(TransportUnavailableException.class, e.getCause(), state);
            assertTrue(TransportUnavailableException.findIn(e).isPresent());
        }
    }

    @Test
    void anyOtherFailureIsTheDriversOwnAndTheMessageSaysWhatToDo() {
        SQLException missing = new SQLException("relation \"hexbus_outbox\" does not exist", "42P01");

        EventPublishingException e = PublishFailures.of(2, missing);

        assertSame(missing, e.getCause());
        assertTrue(e.getMessage().contains("2 event(s)") && e.getMessage().contains("42P01")
                && e.getMessage().contains("rolls back"), e.getMessage());
        assertEquals(missing.getMessage(), e.getCause().getMessage());
    }

    @Test
    void aFailureWithoutAStateIsTheDriversOwn() {
        SQLException stateless = new SQLException("odd");

        assertSame(stateless, PublishFailures.of(1, stateless).getCause());
    }
}
