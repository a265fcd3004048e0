package io.hexbus.api.admin;

import java.util.Locale;
import java.util.Optional;

/**
 * Which dead letters an operation applies to: every given criterion must hold. Immutable; build it from
 * {@link #ANY} with the withers.
 *
 * @param eventName     the exact event name, or empty for any
 * @param subscription  a subscription among the failed ones, exactly, or empty for any
 * @param errorContains text the last error contains, ignoring case, or empty for any
 */
public record DeadLetterFilter(Optional<String> eventName, Optional<String> subscription,
                               Optional<String> errorContains) {

    /** Matches every dead letter. */
    public static final DeadLetterFilter ANY = new DeadLetterFilter(Optional.empty(), Optional.empty(),
            Optional.empty());

    /**
     * Drops blank criteria, so a blank form field means "any".
     *
     * @param eventName     the exact event name, or empty
     * @param subscription  a failed subscription, or empty
     * @param errorContains text in the last error, or empty
     * @throws NullPointerException if any is null
     */
    public DeadLetterFilter {
        eventName = eventName.filter(DeadLetterFilter::given);
        subscription = subscription.filter(DeadLetterFilter::given);
        errorContains = errorContains.filter(DeadLetterFilter::given);
    }

    /**
     * @param value the exact event name, or null or blank for any
     * @return this filter with that criterion
     */
    public DeadLetterFilter withEventName(String value) {
        return new DeadLetterFilter(Optional.ofNullable(value), subscription, errorContains);
    }

    /**
     * @param value a failed subscription, exactly, or null or blank for any
     * @return this filter with that criterion
     */
    public DeadLetterFilter withSubscription(String value) {
        return new DeadLetterFilter(eventName, Optional.ofNullable(value), errorContains);
    }

    /**
     * @param value text the last error contains, ignoring case, or null or blank for any
     * @return this filter with that criterion
     */
    public DeadLetterFilter withErrorContaining(String value) {
        return new DeadLetterFilter(eventName, subscription, Optional.ofNullable(value));
    }

    /**
     * @return true if this filter matches every dead letter
     */
    public boolean matchesAll() {
        return eventName.isEmpty() && subscription.isEmpty() && errorContains.isEmpty();
    }

    /**
     * @param deadLetter a dead letter
     * @return true if every criterion holds for it
     */
    public boolean matches(DeadLetter deadLetter) {
        return eventName.map(deadLetter.eventName()::equals).orElse(true)
                && subscription.map(deadLetter.failedSubscriptions()::contains).orElse(true)
                && errorContains.map(text -> contains(deadLetter.lastError(), text)).orElse(true);
    }

    private static boolean contains(String error, String text) {
        return error != null && error.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }

    private static boolean given(String value) {
        return !value.isBlank();
    }
}
