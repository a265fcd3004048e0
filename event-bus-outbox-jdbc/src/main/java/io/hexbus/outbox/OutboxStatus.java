package io.hexbus.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What an outbox looks like now: its backlog from the table, and what its relay met. Immutable.
 *
 * @param waiting            rows committed and neither forwarded nor dead
 * @param oldestWaitingAge   how long the oldest waiting row has waited, by the database's clock; zero when none waits
 * @param dead               rows that can never be forwarded (they do not decode, or the transport refuses them),
 *                           kept with their reason until someone deals with them
 * @param forwarded          events this relay forwarded since it started; 0 from {@link OutboxMonitor}
 * @param lastError          the relay's last failure; from {@link OutboxMonitor}, the reason the oldest waiting row
 *                           was last retried for, if it was
 * @param failingSince       since when the relay's passes have been failing, empty while they succeed (always empty
 *                           from {@link OutboxMonitor}, which runs none)
 */
public record OutboxStatus(long waiting, Duration oldestWaitingAge, long dead, long forwarded,
                           Optional<String> lastError, Optional<Instant> failingSince) {

    /**
     * Checks the figures.
     *
     * @param waiting          rows waiting
     * @param oldestWaitingAge the oldest waiting row's age
     * @param dead             rows dead
     * @param forwarded        events forwarded by the relay
     * @param lastError        the last failure, if any
     * @param failingSince     since when passes fail, if they do
     * @throws NullPointerException     if a field is null
     * @throws IllegalArgumentException if a count or the age is negative
     */
    public OutboxStatus {
        Objects.requireNonNull(oldestWaitingAge, "oldestWaitingAge");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(failingSince, "failingSince");
        if (waiting < 0 || dead < 0 || forwarded < 0 || oldestWaitingAge.isNegative()) {
            throw new IllegalArgumentException("counts and age must not be negative: " + waiting + " waiting, "
                    + dead + " dead, " + forwarded + " forwarded, oldest " + oldestWaitingAge);
        }
    }

    /**
     * Whether the outbox forwards: a relay failing for longer than {@code maxFailing}, or a row waiting longer than
     * {@code maxWaitingAge} (no relay runs, or it cannot keep up), is an outbox that cannot forward. Dead rows do
     * not make it unhealthy, as they no longer hold anything back; alert on {@link #dead()} for them.
     *
     * @param maxFailing    how long passes may fail in a row (a transport's restart, say) before it is unhealthy
     * @param maxWaitingAge how old the oldest waiting row may be
     * @param now           the current instant, of the clock the relay was given
     * @return whether it is healthy
     */
    public boolean healthy(Duration maxFailing, Duration maxWaitingAge, Instant now) {
        boolean failingTooLong = failingSince.map(since -> Duration.between(since, now).compareTo(maxFailing) > 0)
                .orElse(false);
        return !failingTooLong && oldestWaitingAge.compareTo(maxWaitingAge) <= 0;
    }
}
