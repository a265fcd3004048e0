package io.hexbus.adapters.guice;

import io.hexbus.api.handling.RetryPolicy;

import java.util.Objects;
import java.util.Set;

/**
 * How the {@link HandlerRegistry} treats the subscriptions the feature modules offer. Immutable.
 *
 * @param disabled           subscription names not to register (a feature flag per subscription)
 * @param defaultRetryPolicy the retry policy of every subscription whose registrar kept
 *                           {@link RetryPolicy#DEFAULT}; a registrar's own choice of policy is kept as it is
 */
public record SubscriptionSettings(Set<String> disabled, RetryPolicy defaultRetryPolicy) {

    /** Every subscription enabled, with the default retry policy. */
    public static final SubscriptionSettings DEFAULT = new SubscriptionSettings(Set.of(), RetryPolicy.DEFAULT);

    /**
     * Copies the set.
     *
     * @param disabled           subscription names not to register
     * @param defaultRetryPolicy the retry policy of subscriptions that kept the default one
     */
    public SubscriptionSettings {
        disabled = Set.copyOf(Objects.requireNonNull(disabled, "disabled"));
        Objects.requireNonNull(defaultRetryPolicy, "defaultRetryPolicy");
    }

    /**
     * @param subscriptions subscription names not to register
     * @return a copy with those disabled
     */
    public SubscriptionSettings withDisabled(Set<String> subscriptions) {
        return new SubscriptionSettings(subscriptions, defaultRetryPolicy);
    }
}
