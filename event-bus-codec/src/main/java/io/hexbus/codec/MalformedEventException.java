package io.hexbus.codec;

import io.hexbus.api.handling.NonRetryable;

/**
 * An entry that cannot become an event: malformed JSON, an unsupported format version, a field of another type,
 * a value the record refuses, an unregistered event name, a missing or failing upcaster, a document too large or
 * too deeply nested. Retrying cannot fix it, so a worker dead-letters it at once with this message.
 *
 * <p>{@link #getMessage()} is the whole reason, for the dead letter, which only the admin API shows; it may quote
 * values of the entry (Jackson's "Cannot coerce String value ("12")", a record's own refusal).
 * {@link #summary()} says what is wrong and where without any value of the entry: what a worker logs.
 */
public class MalformedEventException extends RuntimeException implements NonRetryable {

    private static final long serialVersionUID = 1L;

    /** What is wrong and where, without a value of the entry. */
    private final String summary;

    /**
     * @param message what is wrong, naming the field or the name, and no value of the entry
     * @param cause   the parser's error, or null
     */
    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
        this.summary = message;
    }

    /**
     * @param summary what is wrong and where, without a value of the entry
     * @param detail  what the parser, the record or an upcaster said, which may quote values
     * @param cause   that error, or null
     */
    public MalformedEventException(String summary, String detail, Throwable cause) {
        super(summary + ": " + detail, cause);
        this.summary = summary;
    }

    /**
     * @return what is wrong and where, without any value of the entry: safe to log
     */
    public String summary() {
        return summary;
    }
}
