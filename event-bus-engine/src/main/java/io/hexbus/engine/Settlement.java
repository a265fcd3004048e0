package io.hexbus.engine;

import java.util.List;

/**
 * What becomes of an event after a round, as {@link RoundDecision} decides it: the worker logs
 * {@link #failedAttempts()} and has its backend write the settlement, and decides nothing itself. One of
 * {@link Acknowledge}, {@link Reschedule} and {@link DeadLetter}; every implementation is an immutable,
 * thread-safe record.
 */
public sealed interface Settlement {

    /**
     * The attempts that failed in the round, for the worker to log and count.
     *
     * @return them in the order they ran, each with its verdict; empty when none failed
     */
    List<FailedAttempt> failedAttempts();

    /** Every subscription is done and none is dead: acknowledge the event. */
    record Acknowledge() implements Settlement {
        /**
         * No attempt failed in a round that is acknowledged.
         *
         * @return an empty list
         */
        @Override
        public List<FailedAttempt> failedAttempts() {
            return List.of();
        }
    }

    /**
     * Some subscription waits for a retry: record {@code update} and run the event again after the delay.
     *
     * @param update         what the round adds to the progress
     * @param delayMillis    until the earliest due subscription, 0 or more
     * @param failedAttempts the round's failed attempts
     */
    record Reschedule(ProgressUpdate update, long delayMillis, List<FailedAttempt> failedAttempts)
            implements Settlement {
        /**
         * Copies the failed attempts.
         *
         * @param update         what the round adds to the progress
         * @param delayMillis    until the earliest due subscription
         * @param failedAttempts the round's failed attempts
         */
        public Reschedule {
            failedAttempts = List.copyOf(failedAttempts);
        }
    }

    /**
     * Nothing is left to retry and some subscription gave up: move the event to the dead-letter queue.
     *
     * @param subscriptions  the subscriptions it is dead-lettered for
     * @param attempts       the highest failed-attempt count among the event's subscriptions
     * @param error          why: the last error
     * @param failedAttempts the round's failed attempts, empty when the decision came from elsewhere
     */
    record DeadLetter(List<String> subscriptions, int attempts, String error, List<FailedAttempt> failedAttempts)
            implements Settlement {
        /**
         * Copies the lists.
         *
         * @param subscriptions  the subscriptions it is dead-lettered for
         * @param attempts       the highest failed-attempt count
         * @param error          the last error
         * @param failedAttempts the round's failed attempts
         */
        public DeadLetter {
            subscriptions = List.copyOf(subscriptions);
            failedAttempts = List.copyOf(failedAttempts);
        }
    }

    /**
     * One failed attempt and its verdict.
     *
     * @param subscription  the subscription that failed
     * @param attempt       its failed attempts so far, this one included
     * @param error         what it threw
     * @param retryInMillis the delay before its retry, or {@link #GAVE_UP}
     */
    record FailedAttempt(String subscription, int attempt, Throwable error, long retryInMillis) {

        /** The {@code retryInMillis} of a subscription that gave up (non-retryable, or out of retries). */
        public static final long GAVE_UP = -1;

        /**
         * Whether the subscription gave up on this attempt.
         *
         * @return true when the subscription is dead: it is not retried
         */
        public boolean gaveUp() {
            return retryInMillis == GAVE_UP;
        }
    }
}
