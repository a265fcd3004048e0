package io.hexbus.engine.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link EngineWorker} works, whatever its broker: a transport maps its own settings onto these. Immutable;
 * each {@code with…} method returns a copy with one knob changed.
 *
 * @param concurrency         handlers run at once (job threads), at least 1
 * @param readAhead           messages read per fetch, held ahead of the handler slots, at least 0; 0 reads only what
 *                            free handler slots can start at once, so a message read never waits behind messages
 *                            read before it (a worker over several queues by priority needs that)
 * @param blockTimeout        how long one fetch waits for a message before the worker checks whether it still runs
 * @param pollInterval        how often the worker looks for due retries and abandoned messages
 * @param visibilityTimeout   how long a lease lasts unrenewed; the worker renews every third of it
 * @param shutdownDeadline    how long a closing worker lets its in-flight handlers finish
 * @param commandTimeout      the longest one backend call takes (the backend's own bound), which closing waits for
 * @param maintenanceInterval how often the backend's housekeeping runs
 * @param maxTakeovers        takeovers after which a message is dead-lettered instead of handed over again, at
 *                            least 1
 * @param newerVersionDelay   how long a message of a newer event version waits before it is read again
 * @param newerVersionMaxWait how long after its publishing such a message waits at most before it is dead-lettered
 */
public record EngineSettings(int concurrency, int readAhead, Duration blockTimeout, Duration pollInterval,
                             Duration visibilityTimeout, Duration shutdownDeadline, Duration commandTimeout,
                             Duration maintenanceInterval, int maxTakeovers, Duration newerVersionDelay,
                             Duration newerVersionMaxWait) {

    /**
     * Checks the bounds.
     *
     * @param concurrency         handlers run at once
     * @param readAhead           messages read per fetch and held ahead of the slots, or 0
     * @param blockTimeout        how long one fetch waits
     * @param pollInterval        how often due and abandoned messages are looked for
     * @param visibilityTimeout   how long a lease lasts unrenewed
     * @param shutdownDeadline    how long in-flight handlers may finish at close
     * @param commandTimeout      the longest one backend call takes
     * @param maintenanceInterval how often housekeeping runs
     * @param maxTakeovers        takeovers before a message is dead-lettered
     * @param newerVersionDelay   how long a newer version waits between reads
     * @param newerVersionMaxWait how long a newer version waits at most
     * @throws IllegalArgumentException naming the knob out of bounds
     * @throws NullPointerException     if a duration is null
     */
    public EngineSettings {
        atLeastOne("concurrency", concurrency);
        if (readAhead < 0) {
            throw new IllegalArgumentException("readAhead must be 0 or more, got " + readAhead);
        }
        positive("blockTimeout", blockTimeout);
        positive("pollInterval", pollInterval);
        positive("visibilityTimeout", visibilityTimeout);
        positive("shutdownDeadline", shutdownDeadline);
        positive("commandTimeout", commandTimeout);
        positive("maintenanceInterval", maintenanceInterval);
        atLeastOne("maxTakeovers", maxTakeovers);
        positive("newerVersionDelay", newerVersionDelay);
        positive("newerVersionMaxWait", newerVersionMaxWait);
    }

    /**
     * The defaults of the design brief: 4 handlers, 64 read ahead, fetches of 500 ms, a poll every 100 ms, leases
     * of 30 s, a shutdown deadline of 30 s, backend calls of at most 2 s, housekeeping every 10 s, 5 takeovers, and
     * an event of a newer version read again every 30 s for at most 24 hours.
     *
     * @return the defaults
     */
    public static EngineSettings defaults() {
        return new EngineSettings(4, 64, Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(10), 5, Duration.ofSeconds(30),
                Duration.ofHours(24));
    }

    /**
     * @param value handlers run at once
     * @return a copy with it
     */
    public EngineSettings withConcurrency(int value) {
        return new EngineSettings(value, readAhead, blockTimeout, pollInterval, visibilityTimeout, shutdownDeadline,
                commandTimeout, maintenanceInterval, maxTakeovers, newerVersionDelay, newerVersionMaxWait);
    }

    /**
     * @param value messages read per fetch
     * @return a copy with it
     */
    public EngineSettings withReadAhead(int value) {
        return new EngineSettings(concurrency, value, blockTimeout, pollInterval, visibilityTimeout, shutdownDeadline,
                commandTimeout, maintenanceInterval, maxTakeovers, newerVersionDelay, newerVersionMaxWait);
    }

    /**
     * @param value how long one fetch waits
     * @return a copy with it
     */
    public EngineSettings withBlockTimeout(Duration value) {
        return new EngineSettings(concurrency, readAhead, value, pollInterval, visibilityTimeout, shutdownDeadline,
                commandTimeout, maintenanceInterval, maxTakeovers, newerVersionDelay, newerVersionMaxWait);
    }

    /**
     * @param value how often due and abandoned messages are looked for
     * @return a copy with it
     */
    public EngineSettings withPollInterval(Duration value) {
        return new EngineSettings(concurrency, readAhead, blockTimeout, value, visibilityTimeout, shutdownDeadline,
                commandTimeout, maintenanceInterval, maxTakeovers, newerVersionDelay, newerVersionMaxWait);
    }

    /**
     * @param value how long a lease lasts unrenewed
     * @return a copy with it
     */
    public EngineSettings withVisibilityTimeout(Duration value) {
        return new EngineSettings(concurrency, readAhead, blockTimeout, pollInterval, value, shutdownDeadline,
                commandTimeout, maintenanceInterval, maxTakeovers, newerVersionDelay, newerVersionMaxWait);
    }

    /**
     * @param value how long in-flight handlers may finish at close
     * @return a copy with it
     */
    public EngineSettings withShutdownDeadline(Duration value) {
        return new EngineSettings(concurrency, readAhead, blockTimeout, pollInterval, visibilityTimeout, value,
                commandTimeout, maintenanceInterval, maxTakeovers, newerVersionDelay, newerVersionMaxWait);
    }

    /**
     * @param value the longest one backend call takes
     * @return a copy with it
     */
    public EngineSettings withCommandTimeout(Duration value) {
        return new EngineSettings(concurrency, readAhead, blockTimeout, pollInterval, visibilityTimeout,
                shutdownDeadline, value, maintenanceInterval, maxTakeovers, newerVersionDelay, newerVersionMaxWait);
    }

    /**
     * @param value how often housekeeping runs
     * @return a copy with it
     */
    public EngineSettings withMaintenanceInterval(Duration value) {
        return new EngineSettings(concurrency, readAhead, blockTimeout, pollInterval, visibilityTimeout,
                shutdownDeadline, commandTimeout, value, maxTakeovers, newerVersionDelay, newerVersionMaxWait);
    }

    /**
     * @param value takeovers before a message is dead-lettered
     * @return a copy with it
     */
    public EngineSettings withMaxTakeovers(int value) {
        return new EngineSettings(concurrency, readAhead, blockTimeout, pollInterval, visibilityTimeout,
                shutdownDeadline, commandTimeout, maintenanceInterval, value, newerVersionDelay, newerVersionMaxWait);
    }

    /**
     * @param value how long a newer version waits between reads
     * @return a copy with it
     */
    public EngineSettings withNewerVersionDelay(Duration value) {
        return new EngineSettings(concurrency, readAhead, blockTimeout, pollInterval, visibilityTimeout,
                shutdownDeadline, commandTimeout, maintenanceInterval, maxTakeovers, value, newerVersionMaxWait);
    }

    /**
     * @param value how long a newer version waits at most
     * @return a copy with it
     */
    public EngineSettings withNewerVersionMaxWait(Duration value) {
        return new EngineSettings(concurrency, readAhead, blockTimeout, pollInterval, visibilityTimeout,
                shutdownDeadline, commandTimeout, maintenanceInterval, maxTakeovers, newerVersionDelay, value);
    }

    /**
     * @return the most messages one fetch, or one look for due and abandoned messages, takes: {@link #readAhead()},
     *         or {@link #concurrency()} when it is 0
     */
    public int readLimit() {
        return readAhead > 0 ? readAhead : concurrency;
    }

    private static void atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
