package io.hexbus.engine;

import io.hexbus.api.handling.NonRetryable;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.engine.Settlement.Acknowledge;
import io.hexbus.engine.Settlement.DeadLetter;
import io.hexbus.engine.Settlement.FailedAttempt;
import io.hexbus.engine.Settlement.Reschedule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * What becomes of an event after a round of its subscriptions: acknowledge it, reschedule the subscriptions
 * that wait for a retry, or dead-letter the ones that gave up. A pure function of the round's outcomes, the
 * subscriptions' retry policies and the recorded {@link Progress}: no broker, no clock, no logging; the only
 * randomness is the jitter source it is given. Stateless and thread-safe.
 */
public final class RoundDecision {

    private RoundDecision() {
    }

    /**
     * What one round of an event came to. Each subscription that was owed appears in at most one of them.
     * Immutable: the collections are copies that keep the order they were given in.
     *
     * @param succeeded subscriptions whose handler returned, in the order they ran
     * @param failures  subscriptions whose attempt failed (a timeout included), with what they threw, in the
     *                  order they ran
     * @param notYetDue subscriptions skipped because their retry is not due yet on the broker's clock
     * @param postponed subscriptions not run because their rate limit had no permit, each with the broker's answer:
     *                  how many milliseconds until its window may have room again (positive)
     */
    public record Outcomes(List<String> succeeded, Map<String, Throwable> failures, List<String> notYetDue,
                           Map<String, Long> postponed) {
        /**
         * Copies the collections.
         *
         * @param succeeded subscriptions whose handler returned
         * @param failures  subscriptions whose attempt failed, with what they threw
         * @param notYetDue subscriptions whose retry is not due yet
         * @param postponed subscriptions without a rate-limit permit, with the wait for one
         * @throws IllegalArgumentException if a wait is not positive
         */
        public Outcomes {
            succeeded = List.copyOf(succeeded);
            failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
            notYetDue = List.copyOf(notYetDue);
            postponed = Collections.unmodifiableMap(new LinkedHashMap<>(postponed));
            if (postponed.values().stream().anyMatch(wait -> wait <= 0)) {
                throw new IllegalArgumentException("a postponed subscription waits a positive time: " + postponed);
            }
        }

        /**
         * A round in which no subscription was postponed by its rate limit.
         *
         * @param succeeded subscriptions whose handler returned
         * @param failures  subscriptions whose attempt failed, with what they threw
         * @param notYetDue subscriptions whose retry is not due yet
         */
        public Outcomes(List<String> succeeded, Map<String, Throwable> failures, List<String> notYetDue) {
            this(succeeded, failures, notYetDue, Map.of());
        }
    }

    /**
     * Decides an event that this service cannot read yet (written at a newer event version): every subscription
     * still owed waits at least {@code delayMillis}, longer if its retry was due later (a wait never shortens a
     * backoff), and keeps its attempt count, since nothing was attempted. The event's last error says why it waits,
     * unless a subscription is dead: then it keeps the error that subscription's dead letter will carry.
     *
     * @param subscriptions the event's subscriptions in this application
     * @param progress      what was recorded before
     * @param brokerNow     the broker's clock when the event was claimed, in milliseconds, or a negative number
     *                      when it is not known (a first delivery, which has no due time recorded)
     * @param delayMillis   how long to wait at least, positive
     * @param reason        why it waits
     * @return a reschedule with no failed attempt, at the earliest of the subscriptions' waits; if nothing is owed
     *         any more, what {@link #settle} makes of an empty round: an acknowledgement, or the dead letter of
     *         the dead subscriptions
     */
    public static Settlement awaitReader(List<String> subscriptions, Progress progress, long brokerNow,
                                         long delayMillis, String reason) {
        Map<String, Integer> attempts = new LinkedHashMap<>();
        Map<String, Long> due = new LinkedHashMap<>();
        long earliest = Long.MAX_VALUE;
        for (String sub : subscriptions) {
            if (!progress.isDone(sub) && !progress.isDead(sub)) {
                long backoffLeft = brokerNow < 0 ? 0 : progress.dueAt(sub) - brokerNow;
                long wait = Math.max(delayMillis, backoffLeft);
                attempts.put(sub, progress.attempts(sub));
                due.put(sub, wait);
                earliest = Math.min(earliest, wait);
            }
        }
        if (due.isEmpty()) {
            return settleRecorded(progress, subscriptions);
        }
        String lastError = progress.dead().isEmpty() || progress.lastError().isEmpty() ? reason : progress.lastError();
        return new Reschedule(new ProgressUpdate(List.of(), attempts, due, Set.of(), lastError), earliest, List.of());
    }

    /**
     * Decides a round. A failure is retried after its policy's backoff (jittered by {@code random}) while the
     * policy allows another attempt and the failure is not {@link NonRetryable}; otherwise its subscription is
     * dead. A subscription postponed by its rate limit is neither attempted nor failed: it waits for its permit
     * with its attempt count unchanged, and is due again when the broker expects room in its window. The event is
     * rescheduled while any subscription waits for a retry or a permit (at the earliest due time), dead-lettered
     * for every dead subscription once none waits, and acknowledged when none is dead.
     *
     * @param round    the round's outcomes
     * @param policies  every subscription of the event in this application (done, dead and owed alike) with its
     *                  retry policy; a failed subscription missing here is not retried
     * @param progress  what was recorded before the round
     * @param brokerNow the broker's clock when the event was claimed, in milliseconds since the epoch; only read
     *                  for {@code round.notYetDue()}, which is empty when the clock is unknown
     * @param random    uniform numbers in [0, 1) for the jitter, drawn once per retried failure
     * @return the settlement; a dead letter's error is the last failure's, or the recorded one
     */
    public static Settlement settle(Outcomes round, Map<String, RetryPolicy> policies, Progress progress,
                                    long brokerNow, DoubleSupplier random) {
        if (round.failures().isEmpty() && round.notYetDue().isEmpty() && round.postponed().isEmpty()) {
            return settleRecorded(progress, policies.keySet());
        }
        Set<String> dead = new LinkedHashSet<>(progress.dead());
        Map<String, Integer> attempts = new LinkedHashMap<>();
        Map<String, Long> due = new LinkedHashMap<>();
        Set<String> deadNow = new LinkedHashSet<>();
        List<FailedAttempt> failed = new ArrayList<>();
        long nextDelay = Long.MAX_VALUE;
        String lastError = progress.lastError();
        for (Map.Entry<String, Throwable> failure : round.failures().entrySet()) {
            String sub = failure.getKey();
            Throwable error = failure.getValue();
            int attempt = progress.attempts(sub) + 1;
            attempts.put(sub, attempt);
            lastError = "subscription '" + sub + "': " + ErrorText.describe(error);
            RetryPolicy policy = policies.getOrDefault(sub, RetryPolicy.NONE);
            if (NonRetryable.isNonRetryable(error) || !policy.allowsRetryAfter(attempt)) {
                dead.add(sub);
                deadNow.add(sub);
                failed.add(new FailedAttempt(sub, attempt, error, FailedAttempt.GAVE_UP));
            } else {
                long delay = policy.backoffBefore(attempt, random.getAsDouble()).toMillis();
                due.put(sub, delay);
                nextDelay = Math.min(nextDelay, delay);
                failed.add(new FailedAttempt(sub, attempt, error, delay));
            }
        }
        for (Map.Entry<String, Long> postponed : round.postponed().entrySet()) {
            String sub = postponed.getKey();
            attempts.put(sub, progress.attempts(sub)); // not an attempt: the count stays
            due.put(sub, postponed.getValue());
            nextDelay = Math.min(nextDelay, postponed.getValue());
        }
        for (String waiting : round.notYetDue()) {
            nextDelay = Math.min(nextDelay, Math.max(0, progress.dueAt(waiting) - brokerNow));
        }
        if (nextDelay != Long.MAX_VALUE) {
            return new Reschedule(new ProgressUpdate(round.succeeded(), attempts, due, deadNow, lastError), nextDelay,
                    failed);
        }
        return new DeadLetter(List.copyOf(dead), maxAttempts(progress, policies.keySet(), attempts), lastError,
                failed);
    }

    /**
     * Settles an event that owes nothing more: acknowledged, or dead-lettered for its dead subscriptions with
     * the highest attempt count among {@code subscriptions} and the recorded error.
     */
    private static Settlement settleRecorded(Progress progress, Collection<String> subscriptions) {
        Set<String> dead = progress.dead();
        if (dead.isEmpty()) {
            return new Acknowledge();
        }
        return new DeadLetter(List.copyOf(dead), maxAttempts(progress, subscriptions, Map.of()),
                progress.lastError(), List.of());
    }

    /**
     * Whether an event was taken over so often that it must not be handed to another worker: an event that
     * crashes or kills every worker handling it.
     *
     * @param progress     the event's progress, this takeover counted
     * @param maxTakeovers the most takeovers an event may have (the transport's setting, such as Redis's
     *                     {@code maxTakeovers})
     * @return true when it goes to {@link #afterTakeovers}
     */
    public static boolean tooManyTakeovers(Progress progress, int maxTakeovers) {
        return progress.takeovers() > maxTakeovers;
    }

    /**
     * The dead letter of an event taken over too often: for the subscriptions it still owes, with the
     * takeovers as the reason.
     *
     * @param subscriptions the event's subscriptions in this application
     * @param progress      the event's progress
     * @param maxTakeovers  the most takeovers an event may have, as given to {@link #tooManyTakeovers}
     * @return a dead letter with no failed attempt of its own
     */
    public static DeadLetter afterTakeovers(List<String> subscriptions, Progress progress, int maxTakeovers) {
        List<String> owed = subscriptions.stream().filter(sub -> !progress.isDone(sub) && !progress.isDead(sub))
                .toList();
        String error = "taken over " + progress.takeovers() + " times, more than maxTakeovers (" + maxTakeovers
                + "): each worker handling it stopped renewing its lease (crashed, was killed or froze), so it is"
                + " not handed to another one";
        return new DeadLetter(owed, maxAttempts(progress, subscriptions, Map.of()), error, List.of());
    }

    /** The highest attempt count among the subscriptions and this round's, its counts ({@code now}) first. */
    private static int maxAttempts(Progress progress, Collection<String> subscriptions, Map<String, Integer> now) {
        int max = 0;
        for (String sub : subscriptions) {
            max = Math.max(max, now.getOrDefault(sub, progress.attempts(sub)));
        }
        for (int attempt : now.values()) {
            max = Math.max(max, attempt);
        }
        return max;
    }
}
