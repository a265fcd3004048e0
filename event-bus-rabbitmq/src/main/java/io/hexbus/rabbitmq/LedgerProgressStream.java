package io.hexbus.rabbitmq;

import com.rabbitmq.client.Connection;
import io.hexbus.api.transport.TransportUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The admin's reader of an application's ledger stream ({@link RabbitNames#ledgerStream()}), folded into a
 * {@link LedgerProgress} that this instance keeps: the first read takes the stream from its start (up to a dedupe
 * window of records, as a worker's start does), each later one only what was appended since.
 *
 * <p>Each read appends one sync marker, a {@link LedgerRecord.Sync} that every worker's tail reads and passes over:
 * so a {@link ReadThrottle} lets at most one read start per interval, and a call within it answers from the fold as
 * the last read left it (an admin polled by a dashboard must not make every worker read a marker per poll).
 *
 * <p>Thread-safe. Blocks as {@link StreamLog} does; failures are {@link TransportUnavailableException}s naming the
 * stream. A message that does not decode is skipped and logged.
 */
final class LedgerProgressStream {

    private static final Logger log = LoggerFactory.getLogger(LedgerProgressStream.class);

    private final StreamLog stream;
    private final ReadThrottle throttle;
    private final LedgerProgress fold; // guarded by this
    private long nextOffset; // guarded by this

    /**
     * @param connection the broker's connection; its owner closes it
     * @param settings   the application's ledger stream, dedupe window and most remembered ids
     * @param throttle   how often a read reads the stream
     */
    LedgerProgressStream(Connection connection, RabbitQueueSettings settings, ReadThrottle throttle) {
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.stream = new StreamLog(connection, settings.names().ledgerStream(), settings.commandTimeout(),
                marker -> LedgerCodec.encode(List.of(new LedgerRecord.Sync(marker))));
        this.fold = new LedgerProgress(settings.dedupeWindow().toMillis(), settings.maxRememberedIds());
    }

    /**
     * Reads what was appended since the last read, unless a read started within the throttle's interval, then answers
     * a question of the fold.
     *
     * @param query what to compute from the fold, under this instance's lock (the fold must not escape it)
     * @param <T>   the answer's type
     * @return the answer
     * @throws TransportUnavailableException if the stream is missing or the broker fails
     */
    synchronized <T> T read(Function<LedgerProgress, T> query) {
        throttle.readIfDue(() -> nextOffset = stream.readToEnd((offset, headers, body) -> {
            long at = appendedAt(headers);
            try {
                for (LedgerRecord record : LedgerCodec.decode(body)) {
                    fold.apply(record, at);
                }
            } catch (IllegalArgumentException malformed) {
                log.warn("Skipped the message at offset {} of RabbitMQ stream '{}': {}", offset, stream.stream(),
                        malformed.getMessage());
            }
        }, nextOffset));
        return query.apply(fold);
    }

    private static long appendedAt(Map<String, Object> headers) {
        // A message another writer left without the header is judged by this reader's clock, as the workers do.
        return headers.get(LedgerStream.APPENDED_AT) instanceof Number number ? number.longValue()
                : System.currentTimeMillis();
    }
}
