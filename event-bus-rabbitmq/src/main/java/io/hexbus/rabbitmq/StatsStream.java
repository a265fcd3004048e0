package io.hexbus.rabbitmq;

import com.rabbitmq.client.Connection;
import io.hexbus.api.transport.TransportUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * A group's stats stream ({@link RabbitNames#statsStream()}, declared by its owner with {@code x-max-age} = the
 * stats retention): the workers append their {@link StatsReport}s and {@link StatsActivity} records, housekeeping appends {@link StatsLog.Checkpoint}s,
 * and reads fold it into a {@link StatsFold} that this instance keeps, each read adding what was appended since.
 *
 * <p>Thread-safe. Blocks as {@link StreamLog} does: an append until confirmed within the command timeout, a read
 * while the stream keeps delivering; failures are {@link TransportUnavailableException}s naming the stream. A
 * message that does not decode is skipped, logged and counted ({@link StatsFold.Totals#undecodable()}).
 */
final class StatsStream {

    private static final Logger log = LoggerFactory.getLogger(StatsStream.class);

    private final StreamLog stream;
    private final StatsFold fold = new StatsFold(); // guarded by this
    private long nextOffset; // guarded by this

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
     * Appends a worker's activity per subscription and waits for the broker's confirm.
     *
     * @param activity the record
     * @throws TransportUnavailableException if the broker refused or cannot be reached
     */
    void append(StatsActivity activity) {
        stream.append(StatsLog.encode(activity), "the subscription activity of worker " + activity.worker());
    }

    /**
     * Reads what was appended since the last read into this instance's fold, and answers a question of it: the fold
     * is kept (a worker reports on every change, and reading the stream whole at each call would grow with it).
     *
     * @param query what to compute from the fold, under this instance's lock (the fold must not escape it)
     * @param <T>   the answer's type
     * @return the answer
     * @throws TransportUnavailableException if the stream is missing or the broker fails
     */
    synchronized <T> T read(Function<StatsFold, T> query) {
        nextOffset = stream.readToEnd((offset, body) -> {
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
        }, nextOffset);
        return query.apply(fold);
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
        Optional<StatsLog.Checkpoint> next = read(fold -> fold.nextCheckpoint(departedAfterMillis, nowMillis));
        next.ifPresent(c -> stream.append(StatsLog.encode(c), "a checkpoint of " + c.absorbed().size()
                + " departed workers"));
        return next.isPresent();
    }
}
