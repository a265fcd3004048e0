package io.hexbus.redis;

import java.util.List;

/**
 * What becomes of an entry after a round, as decided by {@link RoundDecision}: the worker writes it and logs
 * {@link #failedAttempts()}, and decides nothing itself.
 */
sealed interface Settlement {

    /** @return the attempts that failed in the round, in the order they ran, each with its verdict */
    List<FailedAttempt> failedAttempts();

    /** Every subscription is done and none is dead: acknowledge the entry. */
    record Acknowledge() implements Settlement {
        @Override
        public List<FailedAttempt> failedAttempts() {
            return List.of();
        }
    }

    /**
     * Some subscription waits for a retry: record {@code update} and run the entry again after the delay.
     *
     * @param update         what the round adds to the progress
     * @param delayMillis    until the earliest due subscription, 0 or more
     * @param failedAttempts the round's failed attempts
     */
    record Reschedule(ProgressUpdate update, long delayMillis, List<FailedAttempt> failedAttempts)
            implements Settlement {
        public Reschedule {
            failedAttempts = List.copyOf(failedAttempts);
        }
    }

    /**
     * Nothing is left to retry and some subscription gave up: move the entry to the dead-letter queue.
     *
     * @param subscriptions  the subscriptions it is dead-lettered for
     * @param attempts       the highest failed-attempt count among the entry's subscriptions
     * @param error          why: the last error
     * @param failedAttempts the round's failed attempts, empty when the decision came from elsewhere
     */
    record DeadLetter(List<String> subscriptions, int attempts, String error, List<FailedAttempt> failedAttempts)
            implements Settlement {
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
        static final long GAVE_UP = -1;

        /** @return true when the subscription is dead: it is not retried */
        boolean gaveUp() {
            return retryInMillis == GAVE_UP;
        }
    }
}
