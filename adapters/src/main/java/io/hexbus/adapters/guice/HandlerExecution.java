package io.hexbus.adapters.guice;

import io.hexbus.api.handling.SubscriptionOptions;

import java.util.Optional;

/**
 * Where and how this process runs the handlers it registers, so that the {@link HandlerRegistry} logs only what
 * applies: a subscription's retries and timeout mean something on a queue's workers, nothing in memory, and a
 * process that only publishes runs no handler at all.
 *
 * <p>Each transport module sets its default ({@link InMemoryTransportModule}: {@link #IN_PUBLISHER_THREAD},
 * {@link RedisTransportModule}: {@link #BY_QUEUE_WORKERS}, {@link NoDeliveryTransportModule}: {@link #NEVER})
 * through Guice's {@code OptionalBinder}; a composition
 * root whose process only publishes binds {@link #ELSEWHERE} with {@code setBinding()}.
 */
public enum HandlerExecution {

    /** The in-memory transport: each handler runs once, inside {@code publish}; no retries, no timeout. */
    IN_PUBLISHER_THREAD,
    /** A queue's workers in this process run the handlers, with each subscription's retry policy and timeout. */
    BY_QUEUE_WORKERS,
    /** This process only publishes to a queue: the handlers are registered (for their event types) but run
     *  in the workers of other processes. */
    ELSEWHERE,
    /** The transport delivers nothing ({@code none}): the handlers are registered (for their event types) but
     *  never run, in this process or another. */
    NEVER;

    /**
     * @param subscription the subscription name
     * @param eventName    the event name it handles
     * @param options      its options, with the default retry policy applied
     * @return the line to log for it, or empty when none is logged per subscription
     */
    public Optional<String> registeredLine(String subscription, String eventName, SubscriptionOptions options) {
        return switch (this) {
            case IN_PUBLISHER_THREAD -> Optional.of(prefix(subscription, eventName) + "registered");
            case BY_QUEUE_WORKERS -> Optional.of(withOptions(subscription, eventName, options));
            case ELSEWHERE, NEVER -> Optional.empty();
        };
    }

    /**
     * @param subscription the subscription name
     * @param eventName    the event name it would handle
     * @return the line to log for a subscription disabled by configuration, or empty when none is logged
     */
    public Optional<String> disabledLine(String subscription, String eventName) {
        return this == ELSEWHERE ? Optional.empty() : Optional.of(disabled(subscription, eventName));
    }

    /**
     * @param registered how many subscriptions were registered
     * @param disabled   how many were disabled by configuration
     * @return the one line that sums the registration up
     */
    public String summary(int registered, int disabled) {
        String counts = counts(registered, disabled);
        return switch (this) {
            case IN_PUBLISHER_THREAD -> counts + "; in memory, handlers run in the publisher's thread";
            case BY_QUEUE_WORKERS -> counts + "; this process's workers run them";
            case ELSEWHERE -> counts + "; this process only publishes: the workers of other processes run them";
            case NEVER -> counts + "; the transport delivers nothing: no handler runs";
        };
    }

    /** @return the line of a transport that did not say how it runs handlers: the options as configured */
    static String withOptions(String subscription, String eventName, SubscriptionOptions options) {
        return prefix(subscription, eventName) + "registered (" + options.retryPolicy().maxRetries()
                + " retries, timeout " + options.timeout() + ")";
    }

    static String disabled(String subscription, String eventName) {
        return prefix(subscription, eventName) + "disabled by configuration, not registered";
    }

    static String counts(int registered, int disabled) {
        return registered + " subscription(s) registered, " + disabled + " disabled";
    }

    private static String prefix(String subscription, String eventName) {
        return "Subscription " + subscription + " on " + eventName + ": ";
    }
}
