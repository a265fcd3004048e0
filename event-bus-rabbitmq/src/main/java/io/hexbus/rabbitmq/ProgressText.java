package io.hexbus.rabbitmq;

import io.hexbus.engine.Progress;
import io.hexbus.engine.ProgressFields;

import java.util.LinkedHashMap;
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
 * terminator, not a separator, ends each one ({@link ProgressFields} writes and reads the sections). The last error
 * is cut to {@value #MAX_ERROR_CHARS} characters, so that the header fits in a frame.
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
        ProgressFields.names(text, progress.done());
        ProgressFields.names(text, progress.dead());
        ProgressFields.numbers(text, progress.attempts());
        Map<String, Long> delays = new LinkedHashMap<>();
        progress.dueAt().forEach((name, dueAt) -> delays.put(name, Math.max(0, dueAt - nowMillis)));
        ProgressFields.numbers(text, delays);
        String error = progress.lastError();
        if (error.length() > MAX_ERROR_CHARS) {
            // Cut between the two halves of a pair would leave a lone surrogate: cut before it.
            int end = Character.isHighSurrogate(error.charAt(MAX_ERROR_CHARS - 1)) ? MAX_ERROR_CHARS - 1
                    : MAX_ERROR_CHARS;
            error = error.substring(0, end);
        }
        ProgressFields.escape(text, error);
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
        if (text == null) {
            throw new IllegalArgumentException("header " + HEADER + " is missing");
        }
        ProgressFields.Reader in = new ProgressFields.Reader("malformed header " + HEADER + " (format " + VERSION
                + ")", text);
        in.version(VERSION);
        int takeovers = (int) number(in, in.section(';'), Integer.MAX_VALUE);
        Set<String> done = in.nameSet();
        Set<String> dead = in.nameSet();
        Map<String, Integer> attempts = new LinkedHashMap<>();
        in.entries().forEach((name, number) -> attempts.put(name, (int) number(in, number, Integer.MAX_VALUE)));
        Map<String, Long> dueAt = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : in.entries().entrySet()) {
            long delay = number(in, entry.getValue(), Long.MAX_VALUE);
            long left = Math.max(0, delay - elapsedMillis);
            if (nowMillis + left < nowMillis) {
                throw in.refused("the delay " + delay + " of '" + ProgressFields.excerpt(entry.getKey())
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

    /** A decimal number from 0 to {@code max}: digits only, so no sign nor blank slips through. */
    private static long number(ProgressFields.Reader in, String digits, long max) {
        if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw in.refused("'" + ProgressFields.excerpt(digits) + "' is not a number from 0 to " + max);
        }
        try {
            long value = Long.parseLong(digits);
            if (value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // past Long.MAX_VALUE: refused below
        }
        throw in.refused("'" + ProgressFields.excerpt(digits) + "' is not a number from 0 to " + max);
    }
}
