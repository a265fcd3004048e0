package io.hexbus.engine;

/**
 * A failure as text for a log line or a dead letter: its class and message, and, described, the first frames of
 * its stack and its causes, bounded in length. Messages are the handler's own; payloads are never added.
 * Stateless and thread-safe.
 */
public final class ErrorText {

    private static final int MAX_FRAMES = 8;
    private static final int MAX_LENGTH = 4_000;

    private ErrorText() {
    }

    /**
     * One line for a log: the failure's class name and its message, if it has one.
     *
     * @param error the failure
     * @return {@code "java.lang.IllegalStateException: warehouse down"}, say
     */
    public static String summary(Throwable error) {
        return error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }

    /**
     * The failure as a dead letter keeps it: its {@link #summary}, its first frames and the summaries of its
     * causes, at most about 4,000 characters.
     *
     * @param error the failure
     * @return the text, several lines
     */
    public static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(summary(error));
        StackTraceElement[] frames = error.getStackTrace();
        for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
            text.append("\n\tat ").append(frames[i]);
        }
        if (frames.length > MAX_FRAMES) {
            text.append("\n\t... ").append(frames.length - MAX_FRAMES).append(" more");
        }
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("\nCaused by: ").append(summary(cause));
        }
        return text.length() <= MAX_LENGTH ? text.toString() : text.substring(0, MAX_LENGTH) + "…";
    }
}
