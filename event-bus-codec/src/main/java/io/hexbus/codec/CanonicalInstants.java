package io.hexbus.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads and writes instants in the one form {@link Instant#toString()} writes for years 0000–9999
 * ({@code 2025-01-31T12:00:00Z}, optionally with 3, 6 or 9 fraction digits): every envelope this codec
 * writes. {@code DateTimeFormatter} handles every ISO form and costs a noticeable share of a worker's time per
 * event, and of a publisher's; this reads and writes the canonical form directly and leaves anything else to it.
 */
final class CanonicalInstants {

    private static final long FIRST_SECOND = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long LAST_SECOND = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

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

    /**
     * @return exactly {@code instant.toString()}, written without {@code DateTimeFormatter} for years 0000–9999
     *         (the others are left to it)
     */
    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return instant.toString();
        }
        int nanos = instant.getNano();
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        // Instant.toString's fraction: none, or the fewest of 3, 6 or 9 digits that hold it exactly
        int fractionDigits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        char[] out = new char[20 + (fractionDigits == 0 ? 0 : fractionDigits + 1)];
        put(out, 0, t.getYear(), 4);
        out[4] = '-';
        put(out, 5, t.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, t.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, t.getHour(), 2);
        out[13] = ':';
        put(out, 14, t.getMinute(), 2);
        out[16] = ':';
        put(out, 17, t.getSecond(), 2);
        if (fractionDigits > 0) {
            out[19] = '.';
            put(out, 20, fractionDigits == 3 ? nanos / 1_000_000 : fractionDigits == 6 ? nanos / 1_000 : nanos,
                    fractionDigits);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    /** Writes {@code value} as exactly {@code digits} decimal digits, zero-padded, at out[from]. */
    private static void put(char[] out, int from, int value, int digits) {
        for (int i = from + digits - 1; i >= from; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
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
