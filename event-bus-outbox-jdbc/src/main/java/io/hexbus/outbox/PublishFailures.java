package io.hexbus.outbox;

import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;

import java.sql.SQLException;

/**
 * Turns a failed write to the outbox into the port's {@link EventPublishingException}, telling PostgreSQL's outage
 * and timeout apart from a refusal as the transports do: by SQLSTATE, a pure function of it.
 */
final class PublishFailures {

    private PublishFailures() {
    }

    /**
     * @param count how many events the call wrote
     * @param e     the driver's failure
     * @return the exception to throw; its cause is a {@link TransportTimeoutException} for a statement that ran out
     *         of time, a {@link TransportUnavailableException} for a lost or refused connection, else {@code e}
     */
    static EventPublishingException of(int count, SQLException e) {
        String message = "could not write " + count + " event(s) to the outbox table hexbus_outbox (SQLSTATE "
                + e.getSQLState() + ": " + e.getMessage() + "); the unit of work's transaction is aborted: let this"
                + " exception leave the unit so that it rolls back";
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        Throwable cause;
        if (state.equals("57014") || state.equals("55P03")) { // statement or lock timeout
            cause = new TransportTimeoutException("PostgreSQL did not write the outbox rows in time", e);
        } else if (state.startsWith("08") || state.startsWith("57P")) { // connection lost; server shut down
            cause = new TransportUnavailableException("PostgreSQL is unavailable", e);
        } else {
            cause = e;
        }
        return new EventPublishingException(message, cause);
    }
}
