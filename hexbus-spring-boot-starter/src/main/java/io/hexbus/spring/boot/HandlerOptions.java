package io.hexbus.spring.boot;

import io.hexbus.api.handling.RateLimit;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.SubscriptionOptions;
import org.springframework.boot.convert.DurationStyle;

import java.time.Duration;

/**
 * The options of a handler bean's subscription: the defaults, then its {@link HexbusHandler} annotation, then
 * {@code hexbus.subscriptions.<name>.*}. Pure functions.
 */
final class HandlerOptions {

    private HandlerOptions() {
    }

    /**
     * @param subscription the subscription name, for messages
     * @param annotation   the handler's annotation, or null
     * @param properties   its properties, or null
     * @return the options
     * @throws IllegalArgumentException naming the subscription and the value that is wrong
     */
    static SubscriptionOptions resolve(String subscription, HexbusHandler annotation,
                                       HexbusProperties.SubscriptionProperties properties) {
        RetryPolicy defaults = RetryPolicy.DEFAULT;
        int maxRetries = defaults.maxRetries();
        Duration backoff = defaults.initialBackoff();
        Duration timeout = SubscriptionOptions.DEFAULT_TIMEOUT;
        int rateLimit = 0;
        Duration rateLimitPer = Duration.ofSeconds(1);
        if (annotation != null) {
            if (annotation.rateLimit() < 0) {
                throw new IllegalArgumentException("@HexbusHandler(rateLimit = " + annotation.rateLimit()
                        + ") of subscription '" + subscription + "' is not allowed: use 1 or more, or 0 for no limit");
            }
            rateLimit = annotation.rateLimit();
            rateLimitPer = duration(subscription, "rateLimitPer", annotation.rateLimitPer(), rateLimitPer);
            if (annotation.maxRetries() < -1 || annotation.maxRetries() > 100) {
                throw new IllegalArgumentException("@HexbusHandler(maxRetries = " + annotation.maxRetries()
                        + ") of subscription '" + subscription + "' is not allowed: use 0 to 100, or -1 for 3");
            }
            maxRetries = annotation.maxRetries() == -1 ? maxRetries : annotation.maxRetries();
            backoff = duration(subscription, "initialBackoff", annotation.initialBackoff(), backoff);
            timeout = duration(subscription, "timeout", annotation.timeout(), timeout);
        }
        if (properties != null) {
            maxRetries = properties.maxRetries() == null ? maxRetries : properties.maxRetries();
            backoff = properties.initialBackoff() == null ? backoff : properties.initialBackoff();
            timeout = properties.timeout() == null ? timeout : properties.timeout();
            rateLimit = properties.rateLimit() == null ? rateLimit : properties.rateLimit();
            rateLimitPer = properties.rateLimitPer() == null ? rateLimitPer : properties.rateLimitPer();
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the timeout of subscription '" + subscription + "' is " + timeout
                    + ": use a duration above 0");
        }
        RetryPolicy retries = maxRetries == defaults.maxRetries() && backoff.equals(defaults.initialBackoff())
                ? defaults : RetryPolicy.exponential(maxRetries, backoff);
        SubscriptionOptions options = SubscriptionOptions.DEFAULT.withRetryPolicy(retries).withTimeout(timeout);
        return rateLimit == 0 ? options : options.withRateLimit(rateLimit(subscription, rateLimit, rateLimitPer));
    }

    private static RateLimit rateLimit(String subscription, int runs, Duration per) {
        try {
            return RateLimit.of(runs, per);
        } catch (IllegalArgumentException refused) {
            throw new IllegalArgumentException("the rate limit of subscription '" + subscription + "' is not allowed: "
                    + refused.getMessage(), refused);
        }
    }

    private static Duration duration(String subscription, String attribute, String text, Duration fallback) {
        if (text.isBlank()) {
            return fallback;
        }
        try {
            Duration value = DurationStyle.detectAndParse(text.trim());
            if (!value.isNegative()) {
                return value;
            }
        } catch (IllegalArgumentException unreadable) {
            // reported below
        }
        throw new IllegalArgumentException("@HexbusHandler(" + attribute + " = \"" + text + "\") of subscription '"
                + subscription + "' is not allowed: write a duration as Spring Boot does, such as 500ms or 10s");
    }
}
