package io.hexbus.engine;

/**
 * A handler ran past its subscription's timeout: the attempt counts as failed (and is retried as its retry
 * policy says), and its slot is given to other events even if the handler's thread ignores the interrupt.
 */
public class HandlerTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the subscription, the event and the timeout
     */
    public HandlerTimeoutException(String message) {
        super(message);
    }
}
