package io.hexbus.outbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link OutboxRelay}. Immutable; change one with its wither.
 *
 * @param name            the relay's thread name, also in its log lines; not blank
 * @param batchSize       the most rows one pass locks and forwards in one transaction; 1 to 10,000
 * @param pollInterval    how long the relay waits for a notification before it looks anyway (the fallback when
 *                        a NOTIFY is lost or the listening connection is down); positive
 * @param minBackoff      the first wait after a failed pass, doubled per failure in a row; positive
 * @param maxBackoff      the longest wait after failed passes; at least {@code minBackoff}
 * @param retention       how long sent rows are kept before they are deleted; also the window in which an event id
 *                        published again is still a duplicate in the outbox; positive
 * @param cleanupInterval how often sent rows older than the retention are deleted; positive
 * @param stopTimeout     how long {@link OutboxRelay#close()} waits for a pass in flight; positive
 */
public record OutboxRelaySettings(String name, int batchSize, Duration pollInterval, Duration minBackoff,
                                  Duration maxBackoff, Duration retention, Duration cleanupInterval,
                                  Duration stopTimeout) {

    /** The most rows a batch may hold: a pass is one transaction, and its locks last as long as the forward. */
    public static final int MAX_BATCH_SIZE = 10_000;

    /**
     * Checks the bounds.
     *
     * @param name            the thread name; not blank
     * @param batchSize       rows per pass; 1 to {@link #MAX_BATCH_SIZE}
     * @param pollInterval    the fallback poll interval; positive
     * @param minBackoff      the first backoff; positive
     * @param maxBackoff      the longest backoff; at least {@code minBackoff}
     * @param retention       how long sent rows are kept; positive
     * @param cleanupInterval how often old sent rows are deleted; positive
     * @param stopTimeout     how long {@code close()} waits for a pass in flight; positive
     * @throws IllegalArgumentException naming the setting out of bounds and its value
     * @throws NullPointerException     naming the setting that is null
     */
    public OutboxRelaySettings {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank: it names the relay's thread");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be between 1 and " + MAX_BATCH_SIZE + ", got "
                    + batchSize);
        }
        positive("pollInterval", pollInterval);
        positive("minBackoff", minBackoff);
        positive("maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must be at least minBackoff ("
                    + minBackoff + ")");
        }
        positive("retention", retention);
        positive("cleanupInterval", cleanupInterval);
        positive("stopTimeout", stopTimeout);
    }

    /**
     * @return "hexbus-outbox-relay", 500 rows, a poll every second, backoff from 100 ms to 30 s, sent rows kept
     *         7 days and cleaned up every minute, 10 s to stop
     */
    public static OutboxRelaySettings defaults() {
        return new OutboxRelaySettings("hexbus-outbox-relay", 500, Duration.ofSeconds(1), Duration.ofMillis(100),
                Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofMinutes(1), Duration.ofSeconds(10));
    }

    /**
     * @param value the thread name; not blank
     * @return a copy with that name
     */
    public OutboxRelaySettings withName(String value) {
        return new OutboxRelaySettings(value, batchSize, pollInterval, minBackoff, maxBackoff, retention,
                cleanupInterval, stopTimeout);
    }

    /**
     * @param value rows per pass; 1 to {@link #MAX_BATCH_SIZE}
     * @return a copy with that batch size
     */
    public OutboxRelaySettings withBatchSize(int value) {
        return new OutboxRelaySettings(name, value, pollInterval, minBackoff, maxBackoff, retention,
                cleanupInterval, stopTimeout);
    }

    /**
     * @param value the fallback poll interval; positive
     * @return a copy with that interval
     */
    public OutboxRelaySettings withPollInterval(Duration value) {
        return new OutboxRelaySettings(name, batchSize, value, minBackoff, maxBackoff, retention, cleanupInterval,
                stopTimeout);
    }

    /**
     * @param value the first backoff; positive, at most {@code maxBackoff}
     * @return a copy with that backoff
     */
    public OutboxRelaySettings withMinBackoff(Duration value) {
        return new OutboxRelaySettings(name, batchSize, pollInterval, value, maxBackoff, retention, cleanupInterval,
                stopTimeout);
    }

    /**
     * @param value the longest backoff; at least {@code minBackoff}
     * @return a copy with that backoff
     */
    public OutboxRelaySettings withMaxBackoff(Duration value) {
        return new OutboxRelaySettings(name, batchSize, pollInterval, minBackoff, value, retention, cleanupInterval,
                stopTimeout);
    }

    /**
     * @param value how long sent rows are kept; positive
     * @return a copy with that retention
     */
    public OutboxRelaySettings withRetention(Duration value) {
        return new OutboxRelaySettings(name, batchSize, pollInterval, minBackoff, maxBackoff, value, cleanupInterval,
                stopTimeout);
    }

    /**
     * @param value how often old sent rows are deleted; positive
     * @return a copy with that interval
     */
    public OutboxRelaySettings withCleanupInterval(Duration value) {
        return new OutboxRelaySettings(name, batchSize, pollInterval, minBackoff, maxBackoff, retention, value,
                stopTimeout);
    }

    /**
     * @param value how long {@code close()} waits for a pass in flight; positive
     * @return a copy with that timeout
     */
    public OutboxRelaySettings withStopTimeout(Duration value) {
        return new OutboxRelaySettings(name, batchSize, pollInterval, minBackoff, maxBackoff, retention,
                cleanupInterval, value);
    }

    private static void positive(String setting, Duration value) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, got " + value);
        }
    }
}
