package io.hexbus.redis;

import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs the bus's and the admin's commands on the shared connection and reports their failures in the API's
 * transport-neutral terms, one mapping for both: a command past the command timeout is a
 * {@link TransportTimeoutException}; any other client error, or any failure once the transport is closed, a
 * {@link RedisUnavailableException}. The second part matters for a call that found the transport open just
 * before {@link RedisTransport#close()} shut the client down: the shut-down client then throws errors of its
 * own, not {@link RedisException}s (Netty's {@code IllegalStateException}, for one). Thread-safe.
 */
final class RedisFailures {

    private final BooleanSupplier disconnected;

    /**
     * @param disconnected true once the transport closed its connections; read before and after each command
     */
    RedisFailures(BooleanSupplier disconnected) {
        this.disconnected = disconnected;
    }

    /**
     * @param what    the operation and where, which every message starts with; never a secret
     * @param command the command, run at once on this thread
     * @return what the command returned
     * @throws TransportTimeoutException  if Redis did not answer within the command timeout
     * @throws RedisUnavailableException if Redis cannot be used, or the transport is closed
     */
    <T> T call(String what, Supplier<T> command) {
        if (disconnected.getAsBoolean()) {
            throw closed(what, null);
        }
        try {
            return command.get();
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    /** The transport-neutral form of a command's failure; any other failure of an open transport as it is: a bug. */
    private RuntimeException translate(String what, RuntimeException e) {
        if (e instanceof TransportUnavailableException) {
            return e;
        }
        if (disconnected.getAsBoolean()) {
            return closed(what, e);
        }
        if (e instanceof RedisCommandTimeoutException) {
            return new TransportTimeoutException(what + ": Redis did not answer in time: "
                    + RedisTransport.rootMessage(e), e);
        }
        if (e instanceof RedisException) {
            return new RedisUnavailableException(what + ": Redis cannot be used: " + RedisTransport.rootMessage(e),
                    e);
        }
        return e;
    }

    private static RedisUnavailableException closed(String what, RuntimeException cause) {
        return new RedisUnavailableException(what + ": its Redis transport is closed", cause);
    }
}
