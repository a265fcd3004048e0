package io.hexbus.rabbitmq;

import io.hexbus.engine.Progress;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An event's {@link Progress} as text, for the {@code hexbus-progress} header of a retry and the next progress of a
 * ledger's retry settle (docs/rabbitmq-transport.md, "Messages", "Retries"). Due times travel as delays: the writer
 * turns each into the time left from its now, and the reader turns it back from its own now less the time the message
 * waited in the retry tiers, measured by the broker's TTLs; so no two clocks are compared.
 *
 * <p><b>Format</b> (text, version 1): sections separated by {@code ;}, the first being the version:
 * <pre>
 * 1;takeovers;done;dead;attempts;delays;lastError
 * </pre>
 * A list is its names each followed by {@code ,}; a map its {@code name=number} each followed by {@code ,}; numbers
 * are decimal, a delay in milliseconds. In names and the error, {@code \}, {@code ;}, {@code ,} and {@code =} are
 * written {@code \\}, {@code \;}, {@code \,} and {@code \=}, and a lone surrogate <code>&#92;uXXXX</code> (UTF-8 cannot
 * carry it); everything else (newlines, any script) is itself. Names may be anything, the empty name too: a
 * terminator, not a separator, ends each one. The last error is cut to {@value #MAX_ERROR_CHARS} characters, so that
 * the header fits in a frame.
 *
 * <p><b>Refusals:</b> decoding a value that is missing or not of this format, a negative delay or one too far to add
 * to now, or what {@link Progress} refuses (negative counts, a name twice) throws an {@link IllegalArgumentException}
 * naming the header, where and why: the backend dead-letters such a message with that reason instead of failing.
 *
 * <p>Stateless and thread-safe.
 */
final class ProgressText {

    /** The header that carries it. */
    static final String HEADER = "hexbus-progress";
    /** The most characters of the last error written. */
    static final int MAX_ERROR_CHARS = 2000;

    private static final String VERSION = "1";
    private static final String SPECIAL = "\\;,=";

    private ProgressText() {
    }

    /**
     * @param progress  an event's progress
     * @param nowMillis the time its due times are measured from, epoch ms: each is written as the delay left after it,
     *                  0 if already past
     * @return its text
     */
    static String encode(Progress progress, long nowMillis) {
        StringBuilder text = new StringBuilder(VERSION).append(';').append(progress.takeovers()).append(';');
        names(text, progress.done());
        names(text, progress.dead());
        numbers(text, progress.attempts());
        Map<String, Long> delays = new LinkedHashMap<>();
        progress.dueAt().forEach((name, dueAt) -> delays.put(name, Math.max(0, dueAt - nowMillis)));
        numbers(text, delays);
        String error = progress.lastError();
        if (error.length() > MAX_ERROR_CHARS) {
            // Cut between the two halves of a pair would leave a lone surrogate: cut before it.
            int end = Character.isHighSurrogate(error.charAt(MAX_ERROR_CHARS - 1)) ? MAX_ERROR_CHARS - 1
                    : MAX_ERROR_CHARS;
            error = error.substring(0, end);
        }
        escape(text, error);
        return text.toString();
    }

    /**
     * @param text          a value {@link #encode} wrote, or another producer did
     * @param nowMillis     the time now, epoch ms
     * @param elapsedMillis how long the message waited since it was written (the retry tiers' TTLs it went
     *                      through), not negative
     * @return the progress, each due time being {@code nowMillis + max(0, delay - elapsedMillis)}
     * @throws IllegalArgumentException naming the header, if the text is missing or malformed, or
     *                                  {@code elapsedMillis} is negative
     */
    static Progress decode(String text, long nowMillis, long elapsedMillis) {
        if (elapsedMillis < 0) {
            throw new IllegalArgumentException("elapsedMillis must not be negative, got " + elapsedMillis);
        }
        Reader in = new Reader(text);
        in.version();
        int takeovers = in.integer();
        Set<String> done = in.nameSet();
        Set<String> dead = in.nameSet();
        Map<String, Integer> attempts = new LinkedHashMap<>();
        in.entries().forEach((name, number) -> attempts.put(name, (int) in.number(number, Integer.MAX_VALUE)));
        Map<String, Long> dueAt = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : in.entries().entrySet()) {
            long delay = in.number(entry.getValue(), Long.MAX_VALUE);
            long left = Math.max(0, delay - elapsedMillis);
            if (nowMillis + left < nowMillis) {
                throw in.refused("the delay " + delay + " of '" + Reader.excerpt(entry.getKey())
                        + "' is too far");
            }
            dueAt.put(entry.getKey(), nowMillis + left);
        }
        String lastError = in.last();
        try {
            return new Progress(done, dead, attempts, dueAt, takeovers, lastError);
        } catch (IllegalArgumentException e) {
            throw in.refused(e.getMessage());
        }
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

    /** A cursor over the text; every refusal names the header and the position. */
    private static final class Reader {

        private static final int TO_THE_END = -1; // no char equals it: the last section may hold any character

        private final String text;
        private int at;

        Reader(String text) {
            if (text == null) {
                throw new IllegalArgumentException("header " + HEADER + " is missing");
            }
            this.text = text;
        }

        void version() {
            String version = name(';');
            if (!VERSION.equals(version)) {
                throw refused("version '" + excerpt(version) + "' is not " + VERSION);
            }
            at++;
        }

        int integer() {
            String digits = name(';');
            at++;
            return (int) number(digits, Integer.MAX_VALUE);
        }

        /** A decimal number from 0 to {@code max}: digits only, so no sign nor blank slips through. */
        long number(String digits, long max) {
            if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw refused("'" + excerpt(digits) + "' is not a number from 0 to " + max);
            }
            try {
                long value = Long.parseLong(digits);
                if (value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // past Long.MAX_VALUE: refused below
            }
            throw refused("'" + excerpt(digits) + "' is not a number from 0 to " + max);
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

        Map<String, String> entries() {
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

        /** The last section: everything left, which must contain no unescaped separator. */
        String last() {
            return name(TO_THE_END);
        }

        IllegalArgumentException refused(String why) {
            return new IllegalArgumentException("malformed header " + HEADER + " (format " + VERSION + ") at"
                    + " character " + at + ": " + why);
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

        static String excerpt(String value) {
            return value.length() <= 40 ? value : value.substring(0, 40) + "…";
        }
    }
}
