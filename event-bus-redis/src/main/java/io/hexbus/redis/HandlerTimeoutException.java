package io.hexbus.redis;

/**
 * A handler ran past its subscription's timeout: the attempt counts as failed (and is retried), and its
 * slot is given to other events even if the handler's thread ignores the interrupt.
 */
public class HandlerTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the subscription, the event and the timeout
     */
    public HandlerTimeoutException(String message) {
        super(message);
    }
}
