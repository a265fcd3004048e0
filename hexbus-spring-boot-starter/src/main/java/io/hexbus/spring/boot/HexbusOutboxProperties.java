package io.hexbus.spring.boot;

import io.hexbus.outbox.OutboxRelaySettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The outbox's settings under {@code hexbus.outbox.*}, read when {@code event-bus-outbox-jdbc}, {@code spring-jdbc}
 * and one {@code DataSource} are in the context; the relay's are mapped onto {@link OutboxRelaySettings}, each unset
 * one keeping that record's default. Immutable.
 *
 * @param enabled         {@code false} leaves the outbox out: use cases then publish to the transport at once (default
 *                        {@code true})
 * @param migrate         {@code false} when the application runs the outbox's SQL in its own migrations
 *                        ({@code OutboxSchema.scripts()}); else the outbox's own Flyway migrations run at start
 *                        (default {@code true})
 * @param batchSize       the most rows one relay pass forwards in one transaction, 1 to 10,000 (default 500)
 * @param pollInterval    how long the relay waits for a notification before it looks anyway (default 1 s)
 * @param minBackoff      the relay's first wait after a failed pass, doubled per failure in a row (default 100 ms)
 * @param maxBackoff      the relay's longest wait after failed passes, at least {@code min-backoff} (default 30 s)
 * @param retention       how long forwarded rows are kept, also the window in which an event id published again is a
 *                        duplicate in the outbox (default 7 days)
 * @param cleanupInterval how often forwarded rows older than the retention are deleted (default 1 min)
 * @param stopTimeout     how long stopping the relay waits for its pass in flight (default 10 s); the stop takes up to
 *                        twice this, so keep {@code spring.lifecycle.timeout-per-shutdown-phase} above that
 * @since 0.1.0
 */
@ConfigurationProperties("hexbus.outbox")
public record HexbusOutboxProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean migrate,
                                     Integer batchSize, Duration pollInterval, Duration minBackoff,
                                     Duration maxBackoff, Duration retention, Duration cleanupInterval,
                                     Duration stopTimeout) {

    /**
     * Checks the values.
     *
     * @param enabled         whether the outbox is used
     * @param migrate         whether its migrations run at start
     * @param batchSize       rows per pass, or null when unset
     * @param pollInterval    the fallback poll interval, or null when unset
     * @param minBackoff      the first backoff, or null when unset
     * @param maxBackoff      the longest backoff, or null when unset
     * @param retention       how long forwarded rows are kept, or null when unset
     * @param cleanupInterval how often old forwarded rows are deleted, or null when unset
     * @param stopTimeout     how long a stop waits for a pass in flight, or null when unset
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    public HexbusOutboxProperties {
        PropertyChecks.range("hexbus.outbox.batch-size", batchSize, 1, OutboxRelaySettings.MAX_BATCH_SIZE);
        PropertyChecks.positive("hexbus.outbox.poll-interval", pollInterval);
        PropertyChecks.positive("hexbus.outbox.min-backoff", minBackoff);
        PropertyChecks.positive("hexbus.outbox.max-backoff", maxBackoff);
        PropertyChecks.positive("hexbus.outbox.retention", retention);
        PropertyChecks.positive("hexbus.outbox.cleanup-interval", cleanupInterval);
        PropertyChecks.positive("hexbus.outbox.stop-timeout", stopTimeout);
        Duration min = minBackoff == null ? OutboxRelaySettings.defaults().minBackoff() : minBackoff;
        Duration max = maxBackoff == null ? OutboxRelaySettings.defaults().maxBackoff() : maxBackoff;
        if (max.compareTo(min) < 0) {
            // Blame the property that was set: with one of the two unset, its default is what the other crosses.
            throw new IllegalArgumentException(maxBackoff == null
                    ? "hexbus.outbox.min-backoff=" + min + " is not allowed: use at most hexbus.outbox.max-backoff ("
                    + max + " by default)"
                    : "hexbus.outbox.max-backoff=" + max + " is not allowed: use at least hexbus.outbox.min-backoff ("
                    + min + ")");
        }
    }

    /**
     * @return the relay's settings: {@link OutboxRelaySettings#defaults()} with each property that is set
     */
    public OutboxRelaySettings relaySettings() {
        OutboxRelaySettings defaults = OutboxRelaySettings.defaults();
        return new OutboxRelaySettings(defaults.name(), batchSize == null ? defaults.batchSize() : batchSize,
                orDefault(pollInterval, defaults.pollInterval()), orDefault(minBackoff, defaults.minBackoff()),
                orDefault(maxBackoff, defaults.maxBackoff()), orDefault(retention, defaults.retention()),
                orDefault(cleanupInterval, defaults.cleanupInterval()), orDefault(stopTimeout, defaults.stopTimeout()));
    }

    private static Duration orDefault(Duration value, Duration fallback) {
        return value == null ? fallback : value;
    }
}
