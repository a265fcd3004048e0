package io.hexbus.rabbitmq;

import com.rabbitmq.client.Connection;
import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.backend.DeadLetterRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A group's dead-letter stream ({@link RabbitNames#deadLetterStream()}, declared by its owner with
 * {@code x-max-age} = the retention): appends {@link DeadLetterLog} records and folds the stream into a
 * {@link DeadLetterFold}. Writes are plain appends: fencing them (only the worker holding a message dead-letters
 * it) is the backend's business.
 *
 * <p>Thread-safe. Blocks as {@link StreamLog} does: an append until confirmed within the command timeout, a read
 * while the stream keeps delivering; failures are {@link TransportUnavailableException}s naming the stream. A
 * message that does not decode is skipped, logged and counted ({@link DeadLetterFold#undecodable()}).
 */
final class DeadLetterStream {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterStream.class);

    /** The most dead letters a read keeps whole, as on Kafka ({@link DeadLetterFold}). */
    static final int MAX_DEAD_LETTERS = 100_000;

    private final StreamLog stream;
    private final Duration retention;
    private final Clock clock;
    private final int maxDeadLetters;

    /**
     * @param connection     the broker's connection; its owner closes it
     * @param stream         the stream's name, {@link RabbitNames#deadLetterStream()}
     * @param retention      the stream's {@code x-max-age}: dead letters older are not listed
     * @param commandTimeout how long the broker may take to answer
     * @param clock          stamps the failure times of {@link #write(DeadLetterRecord)}, and tells what expired
     */
    DeadLetterStream(Connection connection, String stream, Duration retention, Duration commandTimeout, Clock clock) {
        this(connection, stream, retention, commandTimeout, clock, MAX_DEAD_LETTERS);
    }

    /**
     * @param connection     the broker's connection; its owner closes it
     * @param stream         the stream's name, {@link RabbitNames#deadLetterStream()}
     * @param retention      the stream's {@code x-max-age}: dead letters older are not listed
     * @param commandTimeout how long the broker may take to answer
     * @param clock          stamps the failure times of {@link #write(DeadLetterRecord)}, and tells what expired
     * @param maxDeadLetters the most dead letters a read keeps whole ({@link DeadLetterFold}), 1 or more
     */
    DeadLetterStream(Connection connection, String stream, Duration retention, Duration commandTimeout, Clock clock,
                     int maxDeadLetters) {
        if (maxDeadLetters < 1) {
            throw new IllegalArgumentException("maxDeadLetters must be at least 1, got " + maxDeadLetters);
        }
        this.maxDeadLetters = maxDeadLetters;
        this.stream = new StreamLog(connection, stream, commandTimeout);
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.isZero() || retention.isNegative()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the stream's name */
    String name() {
        return stream.stream();
    }

    /**
     * Appends a dead letter, failed first and last now (as Kafka's, the engine's record carries no failure time),
     * replacing any earlier one of its event, and waits for the broker's confirm.
     *
     * @param record what the backend keeps of the dead-lettered message
     * @throws TransportUnavailableException if the broker refused or cannot be reached
     */
    void write(DeadLetterRecord record) {
        Instant now = clock.instant();
        append(new DeadLetterLog.DeadLettered(new DeadLetter(record.eventId(), record.eventName(),
                record.subscriptions(), record.attempts(), record.error(), now, now, record.envelope())));
    }

    /**
     * Appends a record and waits for the broker's confirm.
     *
     * @param entry the record
     * @throws TransportUnavailableException if the broker refused or cannot be reached
     */
    void append(DeadLetterLog.Entry entry) {
        stream.append(DeadLetterLog.encode(entry), describe(entry));
    }

    /**
     * Reads the stream from its first message to its end at the call and folds it; dead letters past the retention
     * by the clock are left out.
     *
     * @return the dead letters now
     * @throws TransportUnavailableException if the stream is missing or the broker fails
     */
    DeadLetterFold read() {
        DeadLetterFold fold = new DeadLetterFold(expiredAtOrBefore(), maxDeadLetters);
        readInto(fold, 0);
        return fold;
    }

    /**
     * @param envelopes whether the fold keeps the dead letters' envelopes
     * @return an empty fold of this stream's retention (by the clock now) and bound, for a reader that keeps it
     */
    DeadLetterFold emptyFold(boolean envelopes) {
        return new DeadLetterFold(expiredAtOrBefore(), maxDeadLetters, envelopes);
    }

    /** @return epoch ms, by the clock now: a dead letter whose last failure is at or before it is past the retention */
    long expiredAtOrBefore() {
        return clock.millis() - retention.toMillis();
    }

    /**
     * Reads the stream from an offset to its end at the call into a fold: for a reader that keeps its fold.
     *
     * @param fold       what to apply each record to
     * @param fromOffset the first offset to read, 0 or more
     * @return the offset to read from next time
     * @throws TransportUnavailableException if the stream is missing or the broker fails
     */
    long readInto(DeadLetterFold fold, long fromOffset) {
        return stream.readToEnd((offset, body) -> {
            DeadLetterLog.Entry entry;
            try {
                entry = DeadLetterLog.decode(body);
            } catch (IllegalArgumentException malformed) {
                fold.skipUndecodable();
                log.warn("Skipped the message at offset {} of RabbitMQ stream '{}': {}", offset, stream.stream(),
                        malformed.getMessage());
                return;
            }
            fold.apply(offset, entry);
        }, fromOffset);
    }

    private static String describe(DeadLetterLog.Entry entry) {
        if (entry instanceof DeadLetterLog.DeadLettered dead) {
            return "the dead letter of " + dead.letter().eventId();
        } else if (entry instanceof DeadLetterLog.Removed removed) {
            return "the removal of the dead letter of " + removed.eventId();
        } else if (entry instanceof DeadLetterLog.Retried retried) {
            return "the retry of the dead letter of " + retried.eventId();
        }
        return "the cleaning of dead letters before " + ((DeadLetterLog.Cleaned) entry).beforeMillis();
    }
}
