package io.hexbus.redis.codec;

/**
 * An event whose encoded form exceeds the payload limit; refused at publish, before anything is written.
 */
public class EventTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the event, its size and the limit
     */
    public EventTooLargeException(String message) {
        super(message);
    }
}
