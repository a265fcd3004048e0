package io.hexbus.kafka;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one worker reports to its group's stats topic ({@link StatsTopic}), under its own name as the record key:
 * its cumulative counters since it started reporting under that name, and what it holds at the time written. A
 * later report of the same worker replaces the earlier one (the topic is compacted), so the counters must only
 * grow for the group's sums to.
 *
 * <p>The record value is one line of text, {@code 2 <completed> <failedAttempts> <deadLettered> <takeovers>
 * <unhandled> <running> <held> <settling> <writtenAtMillis>}: the format's version, then decimal numbers of 0 or
 * more separated by single spaces. {@link #decode} accepts exactly that, and the first version's line (version
 * {@code 1}, without {@code <settling>}, read as 0), and nothing else.
 *
 * @param worker          the worker's name, the record key: not empty
 * @param completed       events it finished (every subscription done)
 * @param failedAttempts  handler attempts that failed
 * @param deadLettered    events it dead-lettered (not the dead letters there now: retries and removals do not
 *                        lower it)
 * @param takeovers       records it took over from another worker
 * @param unhandled       events with no subscription, acknowledged and skipped
 * @param running         handlers running at the time written
 * @param held            records handed to it and not yet settled at the time written, those running included
 * @param settling        of {@code held}, the records whose settle is under way: their dead letter may be in its
 *                        topic already, and their offsets not committed yet (the lag still counts them), so they are
 *                        neither running nor reserved; at most {@code held}
 * @param writtenAtMillis when it was written, epoch ms on the worker's clock
 */
record WorkerReport(String worker, long completed, long failedAttempts, long deadLettered, long takeovers,
                    long unhandled, long running, long held, long settling, long writtenAtMillis) {

    private static final String VERSION = "2";
    private static final int FIELDS = 10;
    private static final String FIRST_VERSION = "1";
    private static final int FIRST_FIELDS = 9;
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,19}");

    /**
     * Checks the components.
     *
     * @throws NullPointerException     if {@code worker} is null
     * @throws IllegalArgumentException if {@code worker} is empty, a number is negative, or {@code settling} is more
     *                                  than {@code held}
     */
    WorkerReport {
        Objects.requireNonNull(worker, "worker");
        if (worker.isEmpty()) {
            throw new IllegalArgumentException("a worker's name is not empty");
        }
        notNegative("completed", completed);
        notNegative("failedAttempts", failedAttempts);
        notNegative("deadLettered", deadLettered);
        notNegative("takeovers", takeovers);
        notNegative("unhandled", unhandled);
        notNegative("running", running);
        notNegative("held", held);
        notNegative("settling", settling);
        notNegative("writtenAtMillis", writtenAtMillis);
        if (settling > held) {
            throw new IllegalArgumentException("settling (" + settling + ") is part of held (" + held + ")");
        }
    }

    /**
     * A report with nothing settling.
     *
     * @param worker          the worker's name
     * @param completed       events it finished
     * @param failedAttempts  handler attempts that failed
     * @param deadLettered    events it dead-lettered
     * @param takeovers       records it took over
     * @param unhandled       events with no subscription
     * @param running         handlers running
     * @param held            records held
     * @param writtenAtMillis when it was written
     */
    WorkerReport(String worker, long completed, long failedAttempts, long deadLettered, long takeovers,
                 long unhandled, long running, long held, long writtenAtMillis) {
        this(worker, completed, failedAttempts, deadLettered, takeovers, unhandled, running, held, 0, writtenAtMillis);
    }

    /** @return the record value: the line {@link #decode} reads back */
    String encode() {
        return VERSION + ' ' + completed + ' ' + failedAttempts + ' ' + deadLettered + ' ' + takeovers + ' '
                + unhandled + ' ' + running + ' ' + held + ' ' + settling + ' ' + writtenAtMillis;
    }

    /**
     * Reads a report back from its record.
     *
     * @param worker the record key
     * @param value  the record value
     * @return the report
     * @throws IllegalArgumentException saying what is wrong, if the key is missing or empty, or the value is
     *                                  missing, of another version, has another number of fields for its version, or a
     *                                  field that is not a decimal number of 0 to {@link Long#MAX_VALUE} without sign
     *                                  or spaces, or its numbers are not a report's
     */
    static WorkerReport decode(String worker, String value) {
        if (worker == null || worker.isEmpty()) {
            throw new IllegalArgumentException("a worker report has the worker's name as key, found none");
        }
        if (value == null) {
            throw new IllegalArgumentException("the report of worker '" + worker + "' has no value");
        }
        String[] fields = value.split(" ", -1);
        boolean first = fields.length == FIRST_FIELDS && FIRST_VERSION.equals(fields[0]);
        if (!first && (fields.length != FIELDS || !VERSION.equals(fields[0]))) {
            throw new IllegalArgumentException("the report of worker '" + worker + "' is not '" + VERSION + "' and "
                    + (FIELDS - 1) + " numbers (nor '" + FIRST_VERSION + "' and " + (FIRST_FIELDS - 1) + "): "
                    + abbreviated(value));
        }
        long[] numbers = new long[fields.length - 1];
        for (int i = 1; i < fields.length; i++) {
            if (!NUMBER.matcher(fields[i]).matches()) {
                throw new IllegalArgumentException("the report of worker '" + worker + "' has '"
                        + abbreviated(fields[i]) + "' as field " + i + ", not a decimal number");
            }
            try {
                numbers[i - 1] = Long.parseLong(fields[i]);
            } catch (NumberFormatException tooLarge) {
                throw new IllegalArgumentException("the report of worker '" + worker + "' has " + fields[i]
                        + " as field " + i + ", larger than a long", tooLarge);
            }
        }
        if (first) {
            return new WorkerReport(worker, numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5],
                    numbers[6], numbers[7]);
        }
        try {
            return new WorkerReport(worker, numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5],
                    numbers[6], numbers[7], numbers[8]);
        } catch (IllegalArgumentException notAReport) {
            throw new IllegalArgumentException("the report of worker '" + worker + "' does not add up: "
                    + notAReport.getMessage(), notAReport);
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private static void notNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more, got " + value);
        }
    }
}
