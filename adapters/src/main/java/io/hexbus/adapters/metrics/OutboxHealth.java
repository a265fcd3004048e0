package io.hexbus.adapters.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code /health} and {@code /metrics} show of the transactional outbox: its backlog, what its relay met, and
 * whether it forwards. The outbox module's status, as the HTTP and metrics adapters read it (they name no JDBC type).
 * Immutable.
 *
 * @param healthy          whether the outbox forwards: false while its relay has been failing too long, or an
 *                         event has waited too long
 * @param waiting          events committed and not yet forwarded (the outbox's lag)
 * @param oldestWaitingAge how long the oldest of them has waited; zero when none waits
 * @param dead             events that can never be forwarded, kept for someone to deal with
 * @param forwarded        events this process's relay forwarded since it started
 * @param lastError        the relay's last failure, if any
 * @param failingSince     since when the relay has been failing, empty while it forwards
 */
public record OutboxHealth(boolean healthy, long waiting, Duration oldestWaitingAge, long dead, long forwarded,
                           Optional<String> lastError, Optional<Instant> failingSince) {

    /**
     * @param healthy          whether the outbox forwards
     * @param waiting          events committed and not yet forwarded
     * @param oldestWaitingAge how long the oldest of them has waited; zero when none waits
     * @param dead             events that can never be forwarded
     * @param forwarded        events this process's relay forwarded since it started
     * @param lastError        the relay's last failure, if any
     * @param failingSince     since when the relay has been failing, empty while it forwards
     * @throws NullPointerException if a field is null
     */
    public OutboxHealth {
        Objects.requireNonNull(oldestWaitingAge, "oldestWaitingAge");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(failingSince, "failingSince");
    }
}
