package io.hexbus.redis;

/**
 * Redis cannot be used: unreachable, refused the login, too old, or not answering in time. The message
 * names the server (never its password) and the cause.
 */
public class RedisUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and where
     * @param cause   the client's error
     */
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
