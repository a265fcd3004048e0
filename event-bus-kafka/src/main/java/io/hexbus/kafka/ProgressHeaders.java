package io.hexbus.kafka;

import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressUpdate;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * separator, ends each one.
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
    private static final String SPECIAL = "\\;,=";

    private ProgressHeaders() {
    }

    /**
     * @param progress an event's progress
     * @return the value of the {@link #PROGRESS} header
     */
    static byte[] encode(Progress progress) {
        StringBuilder text = new StringBuilder(VERSION).append(';').append(progress.takeovers()).append(';');
        names(text, progress.done());
        names(text, progress.dead());
        numbers(text, progress.attempts());
        numbers(text, progress.dueAt());
        escape(text, progress.lastError());
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param update what a round adds to an event's progress
     * @return the value of the {@link #UPDATE} header
     */
    static byte[] encode(ProgressUpdate update) {
        StringBuilder text = new StringBuilder(VERSION).append(';');
        names(text, update.done());
        numbers(text, update.attempts());
        numbers(text, update.dueInMillis());
        names(text, update.dead());
        escape(text, update.lastError());
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param value the value of a {@link #PROGRESS} header
     * @return the progress it holds
     * @throws IllegalArgumentException naming the header, if the value is missing or malformed
     */
    static Progress decodeProgress(byte[] value) {
        Reader in = new Reader(PROGRESS, value);
        in.version();
        int takeovers = in.integer(';');
        Set<String> done = in.nameSet();
        Set<String> dead = in.nameSet();
        Map<String, Integer> attempts = in.integers();
        Map<String, Long> dueAt = in.longs();
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
        Reader in = new Reader(UPDATE, value);
        in.version();
        List<String> done = in.nameList();
        Map<String, Integer> attempts = in.integers();
        Map<String, Long> dueIn = in.longs();
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

    private static void names(StringBuilder text, Collection<String> names) {
        for (String name : names) {
            escape(text, name);
            text.append(',');
        }
        text.append(';');
    }

    private static void numbers(StringBuilder text, Map<String, ? extends Number> numbers) {
        numbers.forEach((name, number) -> {
            escape(text, name);
            text.append('=').append(number).append(',');
        });
        text.append(';');
    }

    private static void escape(StringBuilder text, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (SPECIAL.indexOf(c) >= 0) {
                text.append('\\').append(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                text.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                text.append("\\u").append(String.format("%04X", (int) c));
            } else {
                text.append(c);
            }
        }
    }

    /** A cursor over a header's text; every refusal names the header and the position. */
    private static final class Reader {

        private static final int TO_THE_END = -1; // no char equals it: the last section may hold any character

        private final String header;
        private final String text;
        private int at;

        Reader(String header, byte[] value) {
            this.header = header;
            if (value == null) {
                throw new IllegalArgumentException("Kafka header " + header + " is missing");
            }
            try {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(value));
                this.text = chars.toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("Kafka header " + header + " is not UTF-8 text", e);
            }
        }

        void version() {
            String version = name(';');
            if (!VERSION.equals(version)) {
                throw refused("version '" + excerpt(version) + "' is not " + VERSION);
            }
            at++;
        }

        /** A number section ended by {@code end}, which is consumed. */
        int integer(char end) {
            String digits = name(end);
            at++;
            try {
                return Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw refused("'" + excerpt(digits) + "' is not a number");
            }
        }

        Set<String> nameSet() {
            Set<String> names = new LinkedHashSet<>();
            for (String name : nameList()) {
                if (!names.add(name)) {
                    throw refused("'" + excerpt(name) + "' is listed twice");
                }
            }
            return names;
        }

        List<String> nameList() {
            List<String> names = new ArrayList<>();
            while (peek() != ';') {
                names.add(name(','));
                at++;
            }
            at++;
            return names;
        }

        Map<String, Integer> integers() {
            Map<String, Integer> numbers = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : entries().entrySet()) {
                try {
                    numbers.put(entry.getKey(), Integer.parseInt(entry.getValue()));
                } catch (NumberFormatException e) {
                    throw refused("'" + excerpt(entry.getValue()) + "' is not a number");
                }
            }
            return numbers;
        }

        Map<String, Long> longs() {
            Map<String, Long> numbers = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : entries().entrySet()) {
                try {
                    numbers.put(entry.getKey(), Long.parseLong(entry.getValue()));
                } catch (NumberFormatException e) {
                    throw refused("'" + excerpt(entry.getValue()) + "' is not a number");
                }
            }
            return numbers;
        }

        /** The last section: everything left, which must contain no unescaped separator. */
        String last() {
            return name(TO_THE_END);
        }

        IllegalArgumentException refused(String why) {
            return new IllegalArgumentException("malformed Kafka header " + header + " (format " + VERSION + ") at"
                    + " character " + at + ": " + why);
        }

        private Map<String, String> entries() {
            Map<String, String> entries = new LinkedHashMap<>();
            while (peek() != ';') {
                String name = name('=');
                at++;
                String number = name(',');
                at++;
                if (entries.put(name, number) != null) {
                    throw refused("'" + excerpt(name) + "' is listed twice");
                }
            }
            at++;
            return entries;
        }

        private char peek() {
            if (at >= text.length()) {
                throw refused("it ends early");
            }
            return text.charAt(at);
        }

        /**
         * Reads an escaped text up to the unescaped {@code end}, left unconsumed; another unescaped separator, or the
         * end of the value unless {@code end} is {@link #TO_THE_END}, is malformed.
         */
        private String name(int end) {
            StringBuilder name = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    if (end == TO_THE_END) {
                        return name.toString();
                    }
                    throw refused("it ends early, expected '" + (char) end + "'");
                }
                char c = text.charAt(at);
                if (c == end) {
                    return name.toString();
                }
                if (c == '\\') {
                    at++;
                    name.append(unescape());
                } else if (SPECIAL.indexOf(c) >= 0) {
                    throw refused("unexpected '" + c + "'"
                            + (end == TO_THE_END ? "" : ", expected '" + (char) end + "'"));
                } else {
                    name.append(c);
                    at++;
                }
            }
        }

        private char unescape() {
            if (at >= text.length()) {
                throw refused("it ends in an escape");
            }
            char c = text.charAt(at);
            if (SPECIAL.indexOf(c) >= 0) {
                at++;
                return c;
            }
            if (c == 'u' && at + 5 <= text.length()) {
                String hex = text.substring(at + 1, at + 5);
                if (hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                    char unit = (char) Integer.parseInt(hex, 16);
                    if (Character.isSurrogate(unit)) {
                        at += 5;
                        return unit;
                    }
                }
            }
            throw refused("unknown escape '\\" + c + "'");
        }

        private static String excerpt(String value) {
            return value.length() <= 40 ? value : value.substring(0, 40) + "…";
        }
    }
}
