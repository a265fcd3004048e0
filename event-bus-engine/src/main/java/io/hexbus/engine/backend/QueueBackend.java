package io.hexbus.engine.backend;

import io.hexbus.api.handling.RateLimit;
import io.hexbus.engine.ProgressUpdate;
import io.hexbus.engine.stats.SubscriptionActivity;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One worker's view of a queue on a broker: the broker's half of a queued transport, which the engine's
 * {@link io.hexbus.engine.worker.EngineWorker} drives. The engine owns the semantics (capacity, job threads,
 * handler timeouts, the decision after a round, retrying writes, shutdown); a backend answers one question per
 * operation, on its broker.
 *
 * <ul>
 *   <li><b>Leases.</b> Every {@link Delivery} a read returns is leased to this worker until it is settled, or until the worker stops
 *       renewing it for the visibility timeout; then another worker's
 *       {@link #reclaimAbandoned} hands it over, counting the takeover in its {@link Delivery#progress()}.</li>
 *   <li><b>Fencing.</b> Each write is accepted only while this worker holds the lease of that very delivery
 *       ({@link Delivery#lease()}), and reports a lost lease instead of throwing: a worker that lost a message
 *       cannot settle it, and a write of an earlier delivery of a message the worker holds again (written again
 *       after its answer was lost, once the retry was claimed) is refused too.</li>
 *   <li><b>Progress travels with the message:</b> what {@link #reschedule} records is in the delivery of its
 *       retry and of any takeover, so a subscription that succeeded never runs again.</li>
 *   <li><b>One clock:</b> due times are the broker's ({@link Delivery#brokerNow()}); a backend without a clock
 *       hands a rescheduled message over only once it is due.</li>
 *   <li><b>Failures.</b> A broker that cannot be reached, does not answer, or refuses a command throws the
 *       API's {@link io.hexbus.api.transport.TransportUnavailableException} (or its subclass for a timeout), and
 *       the engine tries again with backoff; a write that threw may or may not have been applied, so applying it
 *       twice must be harmless. Any other exception is a bug, logged by the engine.</li>
 * </ul>
 *
 * <p>Thread-safety: {@link #fetch} and {@link #idle} are called from one thread only (the worker's fetcher), and
 * {@code fetch} may block; every
 * other method may be called from any of the worker's threads at once, and bounds its wait by the backend's
 * command timeout.
 */
public interface QueueBackend {

    /**
     * Prepares the queue for this worker (creates what the broker needs, idempotently). Called once, before any
     * other method.
     *
     * @throws io.hexbus.api.transport.TransportUnavailableException if the broker cannot be used
     */
    void open();

    /**
     * Reads new messages, waiting up to {@code block} for the first one.
     *
     * @param max   at most this many, at least 1
     * @param block how long to wait when none is there
     * @return the messages read, leased to this worker; empty when none came within {@code block}
     */
    List<Delivery> fetch(int max, Duration block);

    /**
     * Reads new messages as {@link #fetch(int, Duration)} does, and may hand them to {@code arrived} as soon as the
     * broker's answer is in, on the client's own I/O thread, before this call returns them: the worker then starts
     * their handlers without waiting for the fetching thread to wake first. When it calls {@code arrived}, it does
     * so once, with the very list this call returns, and returns only after {@code arrived} did; it may also call
     * it and then throw, for an answer that came just as the read timed out. {@code arrived} does not block. The
     * default reads with {@link #fetch(int, Duration)} and never calls it.
     *
     * @param max     at most this many, at least 1
     * @param block   how long to wait when none is there
     * @param arrived takes the messages read, on whichever thread completes the read
     * @return the messages read, leased to this worker; empty when none came within {@code block}
     */
    default List<Delivery> fetch(int max, Duration block, Consumer<List<Delivery>> arrived) {
        return fetch(max, block);
    }

    /**
     * Called by the fetcher thread instead of {@link #fetch} while the worker has no room for another message: a
     * backend whose client must be serviced from its reading thread does it here (a Kafka consumer polls with every
     * partition paused, or the group evicts it). Called about every 100 ms while the worker has no room; it must
     * return within about that, since the worker fetches only once it returned and room freed up. Does nothing by
     * default.
     */
    default void idle() {
    }

    /**
     * Takes over the rescheduled messages whose due time has passed, and the messages a dead-letter retry sent
     * back, without waiting.
     *
     * @param max at most this many, at least 1
     * @return the messages, leased to this worker, with the progress recorded for them and the broker's clock where
     *         the backend knows it (a dead-letter retry starts afresh: no progress, and it may have no clock)
     */
    List<Delivery> claimDue(int max);

    /**
     * Moves the delayed messages whose due time has passed to where {@link #fetch} reads them, without taking any:
     * releasing needs no handler slot, so the engine calls it on its maintenance timer every poll interval whatever
     * room the worker has (a worker whose slots are all busy still releases, and another worker may take them). It
     * must not block long (one bounded command); a failure only delays the release to the next call, so a backend may
     * log it instead of throwing. Does nothing by default: a backend without delayed messages of its own, or whose
     * broker releases them itself.
     *
     * @since 0.1.0
     */
    default void releaseDue() {
    }

    /**
     * Takes over the messages whose worker stopped renewing their lease for the visibility timeout, without
     * waiting; each one's progress counts this takeover.
     *
     * @param max  at most this many, at least 1
     * @param held the ids of the messages this worker holds now, which it must not take over from itself
     * @return the messages, leased to this worker
     */
    List<Delivery> reclaimAbandoned(int max, Set<String> held);

    /**
     * Renews the leases of the messages this worker holds.
     *
     * @param held the ids of the messages it holds; some may have been settled since they were listed
     * @return the ids whose lease another worker holds now (a settled one is not lost)
     */
    Set<String> renew(Collection<String> held);

    /**
     * Acknowledges messages every subscription finished with, and counts them, fenced.
     *
     * @param done the messages, in any order
     * @return the ids of those not acknowledged because their lease is lost: another worker holds or settled them,
     *         or a later delivery holds them
     */
    Set<String> acknowledge(Collection<Acknowledgement> done);

    /**
     * Records a round's progress and hands the message back to be claimed again once due, fenced.
     *
     * @param delivery       the message
     * @param update         what the round adds to its progress, due times as delays from the broker's now
     * @param delayMillis    when it is due again, from the broker's now: the earliest due subscription's delay
     * @param failedAttempts how many failed attempts this round adds to the statistics
     * @return whether it was written, or refused because the lease was lost
     */
    Fenced reschedule(Delivery delivery, ProgressUpdate update, long delayMillis, int failedAttempts);

    /**
     * Moves a message to the dead-letter store and removes it from the queue, fenced.
     *
     * @param delivery the message
     * @param record   what to keep of it
     * @return whether it was written, or refused because the lease was lost
     */
    Fenced deadLetter(Delivery delivery, DeadLetterRecord record);

    /**
     * Whether this backend enforces {@link RateLimit}s ({@link #acquirePermit}). A worker refuses to start with a
     * rate-limited subscription on a backend that does not, rather than ignore the limit. False by default.
     *
     * @return true if {@link #acquirePermit} is implemented
     * @since 0.1.0
     */
    default boolean supportsRateLimits() {
        return false;
    }

    /**
     * Takes a permit for one handler run of a rate-limited subscription, counted across every worker of the group
     * on this broker: at most {@code limit.runs()} permits in any sliding window of {@code limit.per()}, on the
     * broker's clock. A permit taken is spent, whether or not the handler then runs or succeeds.
     *
     * @param subscription the subscription's name
     * @param limit        its rate limit
     * @return 0 when a permit was taken; otherwise, positive, how many milliseconds (broker clock) until the
     *         window may have room again
     * @throws UnsupportedOperationException if {@link #supportsRateLimits()} is false (the default)
     * @throws io.hexbus.api.transport.TransportUnavailableException if the broker cannot be reached
     * @since 0.1.0
     */
    default long acquirePermit(String subscription, RateLimit limit) {
        throw new UnsupportedOperationException(brokerName() + " does not enforce rate limits (subscription '"
                + subscription + "', " + limit + ")");
    }

    /**
     * @return the broker's name for messages, such as {@code "Redis"}; this class's simple name by default
     * @since 0.1.0
     */
    default String brokerName() {
        return getClass().getSimpleName();
    }

    /**
     * Stores what this worker did per subscription since its previous report, for
     * {@link io.hexbus.api.admin.QueueAdmin#subscriptionStats()}: adds {@link SubscriptionActivity#counts()} to the
     * group's totals and replaces this worker's {@link SubscriptionActivity#windows()}, which lapse when the worker
     * stops reporting (the engine reports at least every few seconds while a window holds runs). Called on the
     * worker's reporting thread about once a second while handlers run, and once at close (without windows). A
     * report that throws is sent again unchanged, with its {@link SubscriptionActivity#sequence()}, before any later
     * one: a backend that adds deltas applies each sequence once, or stores absolute totals per worker
     * ({@link io.hexbus.engine.stats.CumulativeCounts}), so that a report stored although its call failed is not
     * counted twice.
     *
     * @param activity the counts since the previous stored report and this worker's windows
     * @throws io.hexbus.api.transport.TransportUnavailableException if it cannot be stored now
     */
    void reportActivity(SubscriptionActivity activity);

    /**
     * Reports how many handlers run on this worker now, for {@link io.hexbus.api.admin.QueueStats#active()}. The
     * report lapses after the visibility timeout unless renewed, so a worker that died stops counting; the
     * engine calls it when the count changes and often enough to keep a non-zero count, and with 0 at close.
     *
     * @param running handlers running now
     */
    void reportRunning(int running);

    /**
     * Reports which messages have a handler running on this worker now, one id per running handler: what the engine
     * calls, so that a backend over several queues can count each queue's own ({@link Delivery#id()} names the queue).
     * Same lapsing and timing as {@link #reportRunning(int)}, which it delegates to by default with the count;
     * called with an empty list at close.
     *
     * @param runningIds the {@link Delivery#id()} of each running handler's message, never null
     * @since 0.1.0
     */
    default void reportRunning(List<String> runningIds) {
        reportRunning(runningIds.size());
    }

    /**
     * Housekeeping on the engine's timer: retention of finished messages and dead letters, forgetting departed
     * workers, whatever the broker needs. Called every maintenance interval, first at start.
     */
    void housekeeping();

    /**
     * Releases what this worker holds of the broker (its reading connection); called once, last, at the worker's
     * close. Messages still leased to it are left to lapse, for another worker to take over. Never throws.
     */
    void close();
}
