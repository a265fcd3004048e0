package io.hexbus.engine.worker;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.TransportUnavailableException;
import io.hexbus.engine.ErrorText;
import io.hexbus.engine.RoundDecision;
import io.hexbus.engine.Settlement;
import io.hexbus.engine.backend.Acknowledgement;
import io.hexbus.engine.backend.DeadLetterRecord;
import io.hexbus.engine.backend.Delivery;
import io.hexbus.engine.backend.Fenced;
import io.hexbus.engine.backend.QueueBackend;
import io.hexbus.engine.stats.SubscriptionTally;
import org.slf4j.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Writes what became of a message through the backend: an acknowledgement (queued for the
 * {@link Acknowledger}), a retry or a dead letter, each logged, and a dead letter reported to the observer once
 * written. Thread-safe: called from every job thread and the maintenance thread.
 */
final class Settler {

    private final QueueBackend backend;
    private final Acknowledger acknowledger;
    // Asked for its observer at each dead letter: observers may be added after the worker started.
    private final DomainEventsProcessor processor;
    private final Logger log;
    private final String worker;
    private final int maxEnvelopeChars;
    // Set once the shutdown deadline passed: a write still failing then is given up.
    private final BooleanSupplier abandoning;
    private final BoundedLog problems;
    private final SubscriptionTally tally;

    Settler(QueueBackend backend, Acknowledger acknowledger, DomainEventsProcessor processor, Logger log, String worker,
            int maxEnvelopeChars, BooleanSupplier abandoning, SubscriptionTally tally) {
        this.backend = backend;
        this.tally = tally;
        this.acknowledger = acknowledger;
        this.processor = processor;
        this.log = log;
        this.worker = worker;
        this.maxEnvelopeChars = maxEnvelopeChars;
        this.abandoning = abandoning;
        this.problems = new BoundedLog(log, Duration.ofSeconds(30));
    }

    /**
     * Logs a settlement's failed attempts and writes it.
     *
     * @return true if the message was queued for acknowledgement (the acknowledger releases it), false if it was
     *         settled otherwise or given up (the caller releases it)
     */
    boolean apply(Delivery delivery, UUID eventId, String name, Settlement settlement) {
        for (Settlement.FailedAttempt failed : settlement.failedAttempts()) {
            if (failed.gaveUp()) {
                log.warn("Event {} {}: subscription {} gave up after attempt {}: {}", name, eventId,
                        failed.subscription(), failed.attempt(), ErrorText.summary(failed.error()));
            } else {
                log.warn("Event {} {}: subscription {} failed attempt {}, retry in {} ms: {}", name, eventId,
                        failed.subscription(), failed.attempt(), failed.retryInMillis(),
                        ErrorText.summary(failed.error()));
            }
        }
        int failedAttempts = settlement.failedAttempts().size();
        if (settlement instanceof Settlement.Reschedule retry) {
            if (surely(delivery, () -> backend.reschedule(delivery, retry.update(), retry.delayMillis(),
                    failedAttempts))) {
                settlement.failedAttempts().stream().filter(failed -> !failed.gaveUp())
                        .forEach(failed -> tally.retryScheduled(failed.subscription()));
            }
            return false;
        }
        if (settlement instanceof Settlement.DeadLetter dead) {
            deadLetterSurely(delivery, eventId, name, dead.subscriptions(), dead.attempts(), dead.error(),
                    failedAttempts);
            return false;
        }
        acknowledger.queue(delivery, Acknowledgement.Kind.COMPLETED);
        return true;
    }

    /** Queues a message no subscription here handles for acknowledgement; the acknowledger releases it. */
    void acknowledgeUnhandled(Delivery delivery) {
        acknowledger.queue(delivery, Acknowledgement.Kind.UNHANDLED);
    }

    /** Dead-letters a message, writing again while the broker does not take it; the caller releases it. */
    void deadLetterSurely(Delivery delivery, UUID eventId, String name, List<String> subscriptions, int attempts,
                          String error, int failedAttempts) {
        surely(delivery, () -> deadLetter(delivery, eventId, name, subscriptions, attempts, error, failedAttempts));
    }

    /**
     * Dead-letters a message that kept stopping its workers once, without retrying the write: it was just taken
     * over, and a write that fails leaves it to the next takeover. The caller releases it.
     */
    void deadLetterAfterTakeovers(Delivery delivery, List<String> subscriptions, int maxTakeovers) {
        String name = nameOf(delivery);
        Settlement.DeadLetter dead = RoundDecision.afterTakeovers(subscriptions, delivery.progress(), maxTakeovers);
        log.error("Worker {}: entry {} of '{}' {}; dead-lettered", worker, delivery.id(), name, dead.error());
        if (deadLetter(delivery, eventIdOf(delivery), name, dead.subscriptions(), dead.attempts(), dead.error(), 0)
                == Fenced.LEASE_LOST) {
            leaseLost(log, worker, delivery);
        }
    }

    private Fenced deadLetter(Delivery delivery, UUID eventId, String name, List<String> subscriptions, int attempts,
                              String error, int failedAttempts) {
        Fenced moved = backend.deadLetter(delivery, new DeadLetterRecord(eventId, name, subscriptions, attempts, error,
                keptEnvelope(delivery), failedAttempts));
        if (moved == Fenced.WRITTEN) {
            subscriptions.forEach(tally::deadLettered);
            processor.observer().deadLettered(name, subscriptions);
            log.warn("Event {} {} dead-lettered for subscriptions {}", name, eventId, subscriptions);
        }
        return moved;
    }

    /**
     * Writes a round's outcome (a retry or a dead letter) and tries again with backoff, logging at a bounded rate,
     * while the broker does not take it (a cut connection, a timeout, a refusal). Meanwhile the message stays held,
     * so its lease is renewed and no takeover runs its round again: the successes of the round are in this write.
     * Gives up only at shutdown, once the deadline passed: the message then stays leased until its lease lapses,
     * and the worker that takes it over runs the round again, successes included, since they were never recorded.
     *
     * <p>It retries on the job thread, holding the slot, on purpose: while this worker cannot record outcomes,
     * every further handler run would be at risk of running twice too, so it stops taking work (back-pressure)
     * instead of piling up unrecorded results; and the shutdown deadline and its interrupt already bound the wait.
     *
     * @return true if this write recorded the outcome; false if the lease was lost or the write given up
     */
    private boolean surely(Delivery delivery, Supplier<Fenced> write) {
        int failedTries = 0;
        Duration backoff = Duration.ZERO;
        while (true) {
            try {
                Fenced written = write.get();
                if (written == Fenced.WRITTEN) {
                    if (failedTries > 0) {
                        log.info("Worker {} recorded the outcome of entry {} after {} failed tries", worker,
                                delivery.id(), failedTries);
                    }
                    return true;
                } else if (failedTries == 0) {
                    leaseLost(log, worker, delivery);
                } else {
                    log.info("Worker {}: entry {} was no longer its own after {} failed tries to record its outcome:"
                            + " one of them was written after all, or another worker took it over", worker,
                            delivery.id(), failedTries);
                }
                return false;
            } catch (TransportUnavailableException e) {
                failedTries++;
                if (abandoning.getAsBoolean()) {
                    unrecordedAtShutdown(delivery, e.getMessage());
                    return false;
                }
                problems.warn("Worker {} cannot record the outcome of entry {}: {}; it keeps the entry and retries",
                        worker, delivery.id(), e.getMessage());
                backoff = Backoff.next(backoff);
                if (!Backoff.pause(backoff)) {
                    Thread.interrupted(); // only shutdown past its deadline interrupts job threads, after setting it
                    if (abandoning.getAsBoolean()) {
                        unrecordedAtShutdown(delivery, "interrupted");
                        return false;
                    }
                }
            }
        }
    }

    private void unrecordedAtShutdown(Delivery delivery, String reason) {
        log.warn("Worker {}: the outcome of entry {} was not recorded by the shutdown deadline ({}); it stays pending,"
                + " and the worker that takes it over runs its round again", worker, delivery.id(), reason);
    }

    // A message over the size limit was refused for its size: the dead letter keeps only its start.
    private String keptEnvelope(Delivery delivery) {
        String envelope = delivery.envelope() == null ? "" : delivery.envelope();
        return envelope.length() <= maxEnvelopeChars ? envelope
                : envelope.substring(0, 4_096) + "… (truncated: " + envelope.length() + " characters)";
    }

    static void leaseLost(Logger log, String worker, Delivery delivery) {
        log.warn("Worker {} lost its lease on entry {} (another worker took it over); its result is discarded",
                worker, delivery.id());
    }

    /** The id a message is routed by, or, when it has no usable one, an id derived from its delivery id, stably. */
    static UUID eventIdOf(Delivery delivery) {
        try {
            return UUID.fromString(delivery.eventId() == null ? "" : delivery.eventId());
        } catch (IllegalArgumentException e) {
            return UUID.nameUUIDFromBytes(delivery.id().getBytes(StandardCharsets.UTF_8));
        }
    }

    static String nameOf(Delivery delivery) {
        return delivery.eventName() == null ? "?" : delivery.eventName();
    }
}
