package io.hexbus.api.transport;

/**
 * A transport's broker cannot be reached or used now: unreachable, refused the login or the command, too old,
 * or (as the subclass {@link TransportTimeoutException}) not answering in time; also a transport that was closed.
 * The message names the broker (never a password) and the reason; the cause is the broker client's error, if
 * there was one (a closed transport may refuse without asking its broker, and then has none). Retrying later may
 * succeed, on a transport that is not closed.
 *
 * <p>An {@link IllegalStateException}, as {@link io.hexbus.api.admin.QueueAdmin} has always documented for a
 * store that cannot be reached; catch this type, not that one, to tell a broker's outage from a bug.
 */
public class TransportUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** How deep {@link #findIn(Throwable)} looks: a chain of causes may be long, or even a cycle. */
    private static final int MAX_DEPTH = 16;

    /**
     * @param message what failed and where, never a secret
     * @param cause   the broker client's error, or null
     */
    public TransportUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Finds the broker's failure behind an exception, as an adapter does to tell an outage from a bug: the
     * exception itself, or one of its first 16 causes (such as the cause of an
     * {@link io.hexbus.api.publishing.EventPublishingException}, or of a dependency injector's error).
     *
     * @param failure any exception, or null
     * @return the first {@code TransportUnavailableException} in its chain of causes, or empty
     */
    public static java.util.Optional<TransportUnavailableException> findIn(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth <= MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof TransportUnavailableException unavailable) {
                return java.util.Optional.of(unavailable);
            }
        }
        return java.util.Optional.empty();
    }
}
