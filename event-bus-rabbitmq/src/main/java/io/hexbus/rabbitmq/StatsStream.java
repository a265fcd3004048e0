package io.hexbus.rabbitmq;

import com.rabbitmq.client.Connection;
import io.hexbus.api.transport.TransportUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * A group's stats stream ({@link RabbitNames#statsStream()}, declared by its owner with {@code x-max-age} = the
 * stats retention): the workers append their {@link StatsReport}s, housekeeping appends {@link StatsLog.Checkpoint}s,
 * and a read folds it all into a {@link StatsFold}.
 *
 * <p>Thread-safe. Blocks as {@link StreamLog} does: an append until confirmed within the command timeout, a read
 * while the stream keeps delivering; failures are {@link TransportUnavailableException}s naming the stream. A
 * message that does not decode is skipped, logged and counted ({@link StatsFold.Totals#undecodable()}).
 */
final class StatsStream {

    private static final Logger log = LoggerFactory.getLogger(StatsStream.class);

    private final StreamLog stream;

    /**
     * @param connection     the broker's connection; its owner closes it
     * @param stream         the stream's name, {@link RabbitNames#statsStream()}
     * @param commandTimeout how long the broker may take to answer
     */
    StatsStream(Connection connection, String stream, Duration commandTimeout) {
        this.stream = new StreamLog(connection, stream, commandTimeout);
    }

    /**
     * Appends a worker's report and waits for the broker's confirm.
     *
     * @param report the report
     * @throws TransportUnavailableException if the broker refused or cannot be reached
     */
    void report(StatsReport report) {
        stream.append(StatsLog.encode(report), "the report of worker " + report.worker());
    }

    /**
     * Reads the stream from its first message to its end at the call and folds it.
     *
     * @return the fold
     * @throws TransportUnavailableException if the stream is missing or the broker fails
     */
    StatsFold read() {
        StatsFold fold = new StatsFold();
        stream.readToEnd((offset, body) -> {
            StatsLog.Entry entry;
            try {
                entry = StatsLog.decode(body);
            } catch (IllegalArgumentException malformed) {
                fold.skipUndecodable();
                log.warn("Skipped the message at offset {} of RabbitMQ stream '{}': {}", offset, stream.stream(),
                        malformed.getMessage());
                return;
            }
            fold.apply(offset, entry);
        });
        return fold;
    }

    /**
     * Reads the stream and appends the next checkpoint ({@link StatsFold#nextCheckpoint}) if it changes anything.
     *
     * @param departedAfterMillis how long a worker must have been silent to count as departed, ms; positive, and
     *                            well under the stream's retention
     * @param nowMillis           now, epoch ms
     * @return whether a checkpoint was appended
     * @throws TransportUnavailableException if the stream is missing or the broker fails
     * @throws IllegalArgumentException      if {@code departedAfterMillis} is not positive
     */
    boolean checkpoint(long departedAfterMillis, long nowMillis) {
        if (departedAfterMillis <= 0) {
            throw new IllegalArgumentException("departedAfterMillis must be positive, got " + departedAfterMillis);
        }
        Optional<StatsLog.Checkpoint> next = read().nextCheckpoint(departedAfterMillis, nowMillis);
        next.ifPresent(c -> stream.append(StatsLog.encode(c), "a checkpoint of " + c.absorbed().size()
                + " departed workers"));
        return next.isPresent();
    }
}
