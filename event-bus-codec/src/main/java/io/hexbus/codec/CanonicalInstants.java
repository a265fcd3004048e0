package io.hexbus.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads instants in the one form {@link Instant#toString()} writes for years 0000–9999
 * ({@code 2025-01-31T12:00:00Z}, optionally with 3, 6 or 9 fraction digits): every envelope this codec
 * writes. {@code DateTimeFormatter} handles every ISO form and costs a noticeable share of a worker's time per
 * event; this reads the canonical form directly and leaves anything else to it.
 */
final class CanonicalInstants {

    private CanonicalInstants() {
    }

    /**
     * @return the instant, or null if the text is not in the canonical form (the caller falls back to a
     *         full ISO-8601 parser, which also names what is wrong)
     */
    static Instant parse(String text) {
        int length = text.length();
        if (length != 20 && length != 24 && length != 27 && length != 30) {
            return null;
        }
        if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z' || (length > 20 && text.charAt(19) != '.')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int fraction = length > 20 ? digits(text, 20, length - 1) : 0;
        if ((year | month | day | hour | minute | second | fraction) < 0) {
            return null;
        }
        int nanos = fraction * (length == 24 ? 1_000_000 : length == 27 ? 1_000 : 1);
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException outOfRange) { // month 13, February 30th…
            return null;
        }
    }

    /** The decimal value of text[from, to), or -1 if any of it is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
