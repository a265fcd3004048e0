package io.hexbus.kafka;

import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressFields;
import io.hexbus.engine.ProgressUpdate;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An event's {@link Progress} in the headers of its retry record, so that progress travels with the event. A
 * reschedule does not know the broker's clock when it writes, so its record carries the progress it had
 * ({@link #PROGRESS}) and what the round adds ({@link #UPDATE}, delays rather than due times); the reader applies the
 * update at the record's append time, the broker's clock ({@link #restore}). A hop writes the restored progress alone.
 *
 * <p><b>Format</b> (UTF-8 text, version 1): sections separated by {@code ;}, the first being the version {@code 1}:
 * <pre>
 * hexbus-progress:        1;takeovers;done;dead;attempts;dueAt;lastError
 * hexbus-progress-update: 1;done;attempts;dueInMillis;dead;lastError
 * </pre>
 * A list is its names each followed by {@code ,}; a map its {@code name=number} each followed by {@code ,}; numbers
 * are decimal. In names and the error, {@code \}, {@code ;}, {@code ,} and {@code =} are written {@code \\},
 * {@code \;}, {@code \,} and {@code \=}, and a lone surrogate <code>&#92;uXXXX</code> (UTF-8 cannot carry it);
 * everything else (newlines, any script) is itself. Names may be anything, the empty name too: a terminator, not a
 * separator, ends each one ({@link ProgressFields} writes and reads the sections).
 *
 * <p><b>Refusals:</b> decoding a value that is missing, not UTF-8 or not of this format, or that the engine's records
 * refuse (negative counts, a name twice, a dead or due subscription without attempts), throws an
 * {@link IllegalArgumentException} naming the header: the backend dead-letters such a poison record instead of failing.
 *
 * <p>Stateless and thread-safe.
 */
final class ProgressHeaders {

    /** The header with the progress the event had when its record was written. */
    static final String PROGRESS = "hexbus-progress";
    /** The header with what the round that rescheduled the event adds to it, applied at the record's append time. */
    static final String UPDATE = "hexbus-progress-update";

    private static final String VERSION = "1";

    private ProgressHeaders() {
    }

    /**
     * @param progress an event's progress
     * @return the value of the {@link #PROGRESS} header
     */
    static byte[] encode(Progress progress) {
        StringBuilder text = new StringBuilder(VERSION).append(';').append(progress.takeovers()).append(';');
        ProgressFields.names(text, progress.done());
        ProgressFields.names(text, progress.dead());
        ProgressFields.numbers(text, progress.attempts());
        ProgressFields.numbers(text, progress.dueAt());
        ProgressFields.escape(text, progress.lastError());
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param update what a round adds to an event's progress
     * @return the value of the {@link #UPDATE} header
     */
    static byte[] encode(ProgressUpdate update) {
        StringBuilder text = new StringBuilder(VERSION).append(';');
        ProgressFields.names(text, update.done());
        ProgressFields.numbers(text, update.attempts());
        ProgressFields.numbers(text, update.dueInMillis());
        ProgressFields.names(text, update.dead());
        ProgressFields.escape(text, update.lastError());
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param value the value of a {@link #PROGRESS} header
     * @return the progress it holds
     * @throws IllegalArgumentException naming the header, if the value is missing or malformed
     */
    static Progress decodeProgress(byte[] value) {
        ProgressFields.Reader in = reader(PROGRESS, value);
        in.version(VERSION);
        int takeovers = integer(in, in.section(';'));
        Set<String> done = in.nameSet();
        Set<String> dead = in.nameSet();
        Map<String, Integer> attempts = integers(in);
        Map<String, Long> dueAt = longs(in);
        String lastError = in.last();
        try {
            return new Progress(done, dead, attempts, dueAt, takeovers, lastError);
        } catch (IllegalArgumentException e) {
            throw in.refused(e.getMessage());
        }
    }

    /**
     * @param value the value of an {@link #UPDATE} header
     * @return the update it holds
     * @throws IllegalArgumentException naming the header, if the value is missing or malformed
     */
    static ProgressUpdate decodeUpdate(byte[] value) {
        ProgressFields.Reader in = reader(UPDATE, value);
        in.version(VERSION);
        List<String> done = in.nameList();
        Map<String, Integer> attempts = integers(in);
        Map<String, Long> dueIn = longs(in);
        Set<String> dead = in.nameSet();
        String lastError = in.last();
        try {
            return new ProgressUpdate(done, attempts, dueIn, dead, lastError);
        } catch (IllegalArgumentException e) {
            throw in.refused(e.getMessage());
        }
    }

    /**
     * The progress of the event a retry record carries: its {@link #PROGRESS}, with its {@link #UPDATE} (if any)
     * applied at the record's append time ({@link Progress#after}).
     *
     * @param progress     the value of the {@link #PROGRESS} header
     * @param update       the value of the {@link #UPDATE} header, or null when the record has none (a hop)
     * @param appendMillis the record's timestamp, the broker's clock when it was appended
     * @return the progress
     * @throws IllegalArgumentException naming the header, if a value is missing or malformed
     */
    static Progress restore(byte[] progress, byte[] update, long appendMillis) {
        Progress before = decodeProgress(progress);
        return update == null ? before : before.after(decodeUpdate(update), appendMillis);
    }

    // Its text, checked to be UTF-8, read by the engine's ProgressFields; every refusal names the header.
    private static ProgressFields.Reader reader(String header, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("Kafka header " + header + " is missing");
        }
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value));
            text = chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Kafka header " + header + " is not UTF-8 text", e);
        }
        return new ProgressFields.Reader("malformed Kafka header " + header + " (format " + VERSION + ")", text);
    }

    private static int integer(ProgressFields.Reader in, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw in.refused("'" + ProgressFields.excerpt(digits) + "' is not a number");
        }
    }

    private static Map<String, Integer> integers(ProgressFields.Reader in) {
        Map<String, Integer> numbers = new LinkedHashMap<>();
        in.entries().forEach((name, digits) -> numbers.put(name, integer(in, digits)));
        return numbers;
    }

    private static Map<String, Long> longs(ProgressFields.Reader in) {
        Map<String, Long> numbers = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : in.entries().entrySet()) {
            try {
                numbers.put(entry.getKey(), Long.parseLong(entry.getValue()));
            } catch (NumberFormatException e) {
                throw in.refused("'" + ProgressFields.excerpt(entry.getValue()) + "' is not a number");
            }
        }
        return numbers;
    }
}
