package io.hexbus.api.handling;

import java.util.Objects;

/**
 * The W3C trace context of a publish, as it travels with an event: the {@code traceparent} and {@code tracestate}
 * header values of the <a href="https://www.w3.org/TR/trace-context/">W3C Trace Context</a> recommendation, as text.
 * hexbus carries it and hands it back to {@link Tracing} around each handler run; it never reads it (a tracing
 * library does). Queued transports carry it in the envelope's optional {@code trace} field (docs/wire-format.md).
 *
 * <p>Immutable and thread-safe.
 *
 * @param traceparent the {@code traceparent} value ({@code 00-<trace id>-<span id>-<flags>}); printable ASCII, not
 *                    blank, at most {@link #MAX_TRACEPARENT_LENGTH} characters
 * @param tracestate  the {@code tracestate} value, or null when there is none; printable ASCII, not blank, at most
 *                    {@link #MAX_TRACESTATE_LENGTH} characters
 * @since 0.1.0
 */
public record TraceContext(String traceparent, String tracestate) {

    /** The longest {@code traceparent} carried: a version 00 value has 55 characters; room for later versions. */
    public static final int MAX_TRACEPARENT_LENGTH = 128;

    /** The longest {@code tracestate} carried: the length W3C asks propagators to keep at least. */
    public static final int MAX_TRACESTATE_LENGTH = 512;

    /**
     * Checks both values.
     *
     * @param traceparent the {@code traceparent} value
     * @param tracestate  the {@code tracestate} value, or null
     * @throws NullPointerException     if {@code traceparent} is null
     * @throws IllegalArgumentException if a value is blank, too long or not printable ASCII, naming it
     */
    public TraceContext {
        Objects.requireNonNull(traceparent, "traceparent");
        check("traceparent", traceparent, MAX_TRACEPARENT_LENGTH);
        if (tracestate != null) {
            check("tracestate", tracestate, MAX_TRACESTATE_LENGTH);
        }
    }

    /**
     * Whether a pair of values makes a valid trace context, for a reader that drops an invalid one rather than
     * refusing the event it came with.
     *
     * @param traceparent the {@code traceparent} value, or null
     * @param tracestate  the {@code tracestate} value, or null
     * @return true if {@code new TraceContext(traceparent, tracestate)} would not throw
     */
    public static boolean isValid(String traceparent, String tracestate) {
        return traceparent != null && fits(traceparent, MAX_TRACEPARENT_LENGTH)
                && (tracestate == null || fits(tracestate, MAX_TRACESTATE_LENGTH));
    }

    private static void check(String field, String value, int max) {
        if (!fits(value, max)) {
            throw new IllegalArgumentException("TraceContext." + field + " must be printable ASCII, not blank, and at"
                    + " most " + max + " characters; it has " + value.length());
        }
    }

    private static boolean fits(String value, int max) {
        if (value.isBlank() || value.length() > max) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
