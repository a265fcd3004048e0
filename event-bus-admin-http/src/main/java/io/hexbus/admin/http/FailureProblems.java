package io.hexbus.admin.http;

import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Turns what a route threw into the problem to answer, and logs it. A transport's failure is told apart from a
 * bug by its transport-neutral type, found anywhere in the exception's causes: a
 * {@link TransportTimeoutException} is 504 {@code queue-timeout}, any other {@link TransportUnavailableException}
 * 503 {@code queue-unavailable}; every other exception is 500 {@code internal}, logged with its stack.
 * Stateless and thread-safe.
 */
public final class FailureProblems {

    private static final Logger log = LoggerFactory.getLogger(FailureProblems.class);

    private FailureProblems() {
    }

    /**
     * @param ctx    the exchange, for the log line
     * @param thrown what the route threw
     * @return the problem to answer
     */
    public static Problem problemFor(Context ctx, Exception thrown) {
        if (thrown instanceof Problem problem) {
            return problem;
        }
        Optional<TransportUnavailableException> transportFailure = TransportUnavailableException.findIn(thrown);
        if (transportFailure.isPresent()) {
            log.warn("HTTP {} {} failed: {}", ctx.method(), AdminJson.abbreviate(ctx.path()),
                    transportFailure.get().getMessage());
            return transportFailure.get() instanceof TransportTimeoutException
                    ? Problem.of(504, "queue-timeout", "Queue timeout", "the queue's store did not answer in"
                    + " time; the operation may have taken effect: check before repeating it")
                    : Problem.of(503, "queue-unavailable", "Queue unavailable",
                    "the queue's store cannot be used now; see the server log");
        }
        log.error("HTTP {} {} failed", ctx.method(), AdminJson.abbreviate(ctx.path()), thrown);
        return Problem.of(500, "internal", "Internal error", "see the server log");
    }
}
