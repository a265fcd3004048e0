package io.hexbus.rabbitmq;

import io.hexbus.api.admin.DeadLetter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The records of a group's dead-letter stream ({@link RabbitNames#deadLetterStream()}) and their bytes. A stream
 * cannot delete a message, so the dead letters are an event log that {@link DeadLetterFold} folds: a dead letter
 * written, one removed, one retried (which removes it too), and the old ones cleaned.
 *
 * <p>The bytes: a format version ({@value #VERSION}), a kind, then the kind's fields ({@link LogBytes}).
 * {@link #decode} accepts exactly that and refuses anything else with an {@link IllegalArgumentException}: a reader
 * skips and counts such a message rather than guess. Pure and thread-safe.
 */
final class DeadLetterLog {

    /** The format's version, the first byte of every record. */
    static final int VERSION = 1;

    private static final int DEAD_LETTERED = 1;
    private static final int REMOVED = 2;
    private static final int RETRIED = 3;
    private static final int CLEANED = 4;

    private DeadLetterLog() {
    }

    /** One record of the log. */
    sealed interface Entry permits DeadLettered, Removed, Retried, Cleaned {
    }

    /**
     * A dead letter, kept under its event id; a later one of the same id replaces it.
     *
     * @param letter the dead letter, its envelope and failed subscriptions included
     */
    record DeadLettered(DeadLetter letter) implements Entry {

        /**
         * @throws NullPointerException     if a part of the letter is null
         * @throws IllegalArgumentException if its attempts are negative (it would not read back)
         */
        DeadLettered {
            Objects.requireNonNull(letter, "letter");
            Objects.requireNonNull(letter.eventId(), "eventId");
            Objects.requireNonNull(letter.eventName(), "eventName");
            Objects.requireNonNull(letter.lastError(), "lastError");
            Objects.requireNonNull(letter.firstFailedAt(), "firstFailedAt");
            Objects.requireNonNull(letter.lastFailedAt(), "lastFailedAt");
            Objects.requireNonNull(letter.envelope(), "envelope");
            if (letter.attempts() < 0) {
                throw new IllegalArgumentException("attempts must be 0 or more, got " + letter.attempts());
            }
        }
    }

    /**
     * A dead letter deleted for good. Aimed at one record: a dead letter of the same id written after it (the event
     * dead-lettered again meanwhile) stays.
     *
     * @param eventId its event id
     * @param offset  the stream offset of the {@link DeadLettered} record it removes
     */
    record Removed(UUID eventId, long offset) implements Entry {

        /**
         * @throws NullPointerException     if {@code eventId} is null
         * @throws IllegalArgumentException if {@code offset} is negative
         */
        Removed {
            Objects.requireNonNull(eventId, "eventId");
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
            }
        }
    }

    /**
     * A dead letter sent back to its failed subscriptions, which removes it. Aimed at one record, as
     * {@link Removed}: the retry failing again and dead-lettered before this record is written is not lost.
     *
     * @param eventId its event id
     * @param offset  the stream offset of the {@link DeadLettered} record it retried
     */
    record Retried(UUID eventId, long offset) implements Entry {

        /**
         * @throws NullPointerException     if {@code eventId} is null
         * @throws IllegalArgumentException if {@code offset} is negative
         */
        Retried {
            Objects.requireNonNull(eventId, "eventId");
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
            }
        }
    }

    /**
     * The dead letters written before this record whose last failure is before {@code beforeMillis}, deleted.
     *
     * @param beforeMillis epoch ms
     */
    record Cleaned(long beforeMillis) implements Entry {
    }

    /**
     * @param entry a record
     * @return its bytes, which {@link #decode} reads back equal
     */
    static byte[] encode(Entry entry) {
        LogBytes.Writer out = new LogBytes.Writer().bytes(VERSION);
        if (entry instanceof DeadLettered dead) {
            DeadLetter letter = dead.letter();
            out.bytes(DEAD_LETTERED).uuid(letter.eventId()).text(letter.eventName())
                    .integer(letter.failedSubscriptions().size());
            letter.failedSubscriptions().forEach(out::text);
            out.integer(letter.attempts()).text(letter.lastError()).number(letter.firstFailedAt().toEpochMilli())
                    .number(letter.lastFailedAt().toEpochMilli()).text(letter.envelope());
        } else if (entry instanceof Removed removed) {
            out.bytes(REMOVED).uuid(removed.eventId()).number(removed.offset());
        } else if (entry instanceof Retried retried) {
            out.bytes(RETRIED).uuid(retried.eventId()).number(retried.offset());
        } else {
            out.bytes(CLEANED).number(((Cleaned) entry).beforeMillis());
        }
        return out.toBytes();
    }

    /**
     * @param body a message body of the stream
     * @return its record
     * @throws IllegalArgumentException saying what is wrong, if it is not exactly a record of {@link #VERSION}
     */
    static Entry decode(byte[] body) {
        LogBytes.Reader in = new LogBytes.Reader(body);
        int version = in.unsignedByte();
        if (version != VERSION) {
            throw new IllegalArgumentException("a dead-letter record of version " + version + ", not " + VERSION);
        }
        int kind = in.unsignedByte();
        Entry entry = switch (kind) {
            case DEAD_LETTERED -> deadLettered(in);
            case REMOVED -> new Removed(in.uuid(), in.notNegative("the offset"));
            case RETRIED -> new Retried(in.uuid(), in.notNegative("the offset"));
            case CLEANED -> new Cleaned(in.number());
            default -> throw new IllegalArgumentException("a dead-letter record of unknown kind " + kind);
        };
        in.end();
        return entry;
    }

    private static DeadLettered deadLettered(LogBytes.Reader in) {
        UUID eventId = in.uuid();
        String name = in.text("the event name");
        int count = in.count("the subscriptions");
        List<String> subscriptions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            subscriptions.add(in.text("a subscription"));
        }
        int attempts = in.integer();
        if (attempts < 0) {
            throw new IllegalArgumentException("a dead letter of " + attempts + " attempts");
        }
        String error = in.text("the error");
        Instant first = Instant.ofEpochMilli(in.number());
        Instant last = Instant.ofEpochMilli(in.number());
        return new DeadLettered(new DeadLetter(eventId, name, subscriptions, attempts, error, first, last,
                in.text("the envelope")));
    }
}
