package io.hexbus.redis;

import io.hexbus.api.transport.TransportUnavailableException;

/**
 * Redis cannot be used: unreachable, refused the login, too old, or not answering in time at connect. The
 * message names the server (never its password) and the cause. The Redis form of the transport-neutral
 * {@link TransportUnavailableException}; a command that times out after connect is a
 * {@link io.hexbus.api.transport.TransportTimeoutException} instead.
 */
public class RedisUnavailableException extends TransportUnavailableException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and where
     * @param cause   the client's error
     */
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
