package io.hexbus.api.publishing;

import io.hexbus.api.handling.SubscriptionFailure;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by a synchronous transport after every handler of a publish ran and at least one failed. It
 * carries every failure: the first as its cause, the others as suppressed exceptions, and all of them,
 * with subscription and event, in {@link #failures()}.
 *
 * <p>The events themselves were published: publishing them again reports duplicates.
 */
public class EventHandlingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<SubscriptionFailure> failures;

    /**
     * @param failures the failed subscriptions, at least one
     */
    public EventHandlingException(List<SubscriptionFailure> failures) {
        super(describe(failures), failures.get(0).error());
        this.failures = List.copyOf(failures);
        failures.stream().skip(1).map(SubscriptionFailure::error).forEach(this::addSuppressed);
    }

    /**
     * @return every failure, in the order the handlers ran
     */
    public List<SubscriptionFailure> failures() {
        return failures;
    }

    private static String describe(List<SubscriptionFailure> failures) {
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("an EventHandlingException needs at least one failure");
        }
        return failures.size() + " subscription(s) failed: "
                + failures.stream().map(SubscriptionFailure::describe).collect(Collectors.joining("; "));
    }
}
