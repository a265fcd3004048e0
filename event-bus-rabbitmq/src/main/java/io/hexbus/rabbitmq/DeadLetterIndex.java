package io.hexbus.rabbitmq;

import io.hexbus.api.transport.TransportUnavailableException;

import java.util.Objects;
import java.util.function.Function;

/**
 * The admin's fold of a group's dead-letter stream, kept between calls: each read adds only what was appended since
 * the last one, and the retention moves on by the clock ({@link DeadLetterFold#expire}). It keeps no envelopes (the
 * letters' other fields, the error included, and their ids and offsets), so it answers what a dead letter says but
 * lists none whole: pages and retries read the stream ({@link RabbitDeadLetters}).
 *
 * <p>Thread-safe: reads and queries run under this instance's lock. Blocks as {@link DeadLetterStream} does, and fails
 * as it does with a {@link TransportUnavailableException}.
 */
final class DeadLetterIndex {

    private final DeadLetterStream stream;
    private final ReadThrottle throttle;
    private final DeadLetterFold fold; // guarded by this
    private long nextOffset; // guarded by this

    /**
     * @param stream   the dead-letter stream
     * @param throttle how often {@link #read} reads the stream
     */
    DeadLetterIndex(DeadLetterStream stream, ReadThrottle throttle) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.fold = stream.emptyFold(false);
    }

    /**
     * Reads what was appended since the last read, unless one ran within the throttle's interval, then answers a
     * question of the fold.
     *
     * @param query what to compute from the fold, under this instance's lock (the fold must not escape it)
     * @param <T>   the answer's type
     * @return the answer
     * @throws TransportUnavailableException if the stream is missing or the broker fails
     */
    synchronized <T> T read(Function<DeadLetterFold, T> query) {
        throttle.readIfDue(() -> nextOffset = stream.readInto(fold, nextOffset));
        return answer(query);
    }

    /**
     * Reads what was appended since the last read, whatever the throttle says, then answers a question of the fold.
     *
     * @param query what to compute from the fold, under this instance's lock
     * @param <T>   the answer's type
     * @return the answer
     * @throws TransportUnavailableException if the stream is missing or the broker fails
     */
    synchronized <T> T readNow(Function<DeadLetterFold, T> query) {
        throttle.expire();
        return read(query);
    }

    /** Makes the next {@link #read} read the stream: this admin wrote to it. */
    void behind() {
        throttle.expire();
    }

    private <T> T answer(Function<DeadLetterFold, T> query) {
        fold.expire(stream.expiredAtOrBefore());
        return query.apply(fold);
    }
}
