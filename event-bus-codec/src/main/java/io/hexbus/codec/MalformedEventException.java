package io.hexbus.codec;

import io.hexbus.api.handling.NonRetryable;

/**
 * An entry that cannot become an event: malformed JSON, an unsupported format version, a missing field, an
 * unregistered event name, a document too large or too deeply nested. Retrying cannot fix it, so the
 * worker dead-letters it at once with this message.
 */
public class MalformedEventException extends RuntimeException implements NonRetryable {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the field or the name
     * @param cause   the parser's error, or null
     */
    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
