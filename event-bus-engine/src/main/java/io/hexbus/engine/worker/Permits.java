package io.hexbus.engine.worker;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.RateLimit;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.backend.QueueBackend;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The rate-limit permits of a worker's subscriptions, taken from its backend before each run of a rate-limited
 * handler ({@link QueueBackend#acquirePermit}). Thread-safe.
 */
final class Permits {

    /** How long a subscription waits when the broker could not be asked for a permit: none was taken. */
    static final long UNREACHABLE_WAIT_MILLIS = 1_000;

    private final QueueBackend backend;
    private final String worker;
    private final BoundedLog problems;

    Permits(QueueBackend backend, Logger log, String worker) {
        this.backend = backend;
        this.worker = worker;
        this.problems = new BoundedLog(log, Duration.ofSeconds(30));
    }

    /**
     * Refuses a worker whose processor has a rate-limited subscription that its backend cannot limit, rather than
     * run it unlimited.
     *
     * @throws IllegalStateException naming the first such subscription and the broker
     */
    static void checkEnforceable(QueueBackend backend, DomainEventsProcessor processor) {
        if (backend.supportsRateLimits()) {
            return;
        }
        for (String eventName : processor.subscribedEventNames()) {
            for (Subscription subscription : processor.subscriptionsFor(eventName)) {
                if (subscription.options().rateLimit() != null) {
                    throw new IllegalStateException(refusal(backend, subscription));
                }
            }
        }
    }

    /** Why a rate-limited subscription cannot run on a backend that does not enforce rate limits. */
    static String refusal(QueueBackend backend, Subscription subscription) {
        return "subscription '" + subscription.name() + "' has a rate limit (" + subscription.options().rateLimit()
                + "), which the " + backend.brokerName() + " transport does not enforce: remove the limit, or run"
                + " this subscription on a transport that enforces rate limits (Redis)";
    }

    /** Why a rate-limited subscription cannot run on this worker's backend, if it does not enforce rate limits. */
    String refusal(Subscription subscription) {
        return refusal(backend, subscription);
    }

    /**
     * @return whether the backend enforces rate limits at all
     */
    boolean enforceable() {
        return backend.supportsRateLimits();
    }

    /**
     * The wait of a postponed run, spread over the window after the first permit frees: the broker answers every
     * waiting event with the same instant (when its oldest permit leaves the window), and a backlog all due at that
     * instant would be claimed, refused and rescheduled together, window after window, holding slots other
     * subscriptions need. Permits free one by one over the window anyway.
     *
     * @param wait   the broker's wait until a permit may be free, positive
     * @param limit  the subscription's limit
     * @param random uniform in [0, 1)
     * @return {@code wait} plus up to one window
     */
    static long spread(long wait, RateLimit limit, double random) {
        return wait + (long) (random * limit.per().toMillis());
    }

    /**
     * Takes a permit for one run of a subscription, when it has a rate limit.
     *
     * @return empty when it may run now (a permit was taken, or it has no limit); otherwise how many milliseconds
     *         it waits for one, positive: the broker's answer spread over a window ({@link #spread}), or {@link #UNREACHABLE_WAIT_MILLIS} when the broker
     *         could not be asked (no permit was taken, so the limit holds)
     */
    Optional<Long> acquire(Subscription subscription) {
        RateLimit limit = subscription.options().rateLimit();
        if (limit == null) {
            return Optional.empty();
        }
        try {
            long wait = backend.acquirePermit(subscription.name(), limit);
            return wait <= 0 ? Optional.empty() : Optional.of(spread(wait, limit, ThreadLocalRandom.current()
                    .nextDouble()));
        } catch (TransportUnavailableException e) {
            problems.warn("Worker {} cannot take a rate-limit permit for subscription {}: {}; it waits {} ms",
                    worker, subscription.name(), e.getMessage(), UNREACHABLE_WAIT_MILLIS);
            return Optional.of(UNREACHABLE_WAIT_MILLIS);
        }
    }
}
