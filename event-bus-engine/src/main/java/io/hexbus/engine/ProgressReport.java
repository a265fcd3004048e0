package io.hexbus.engine;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.EventProgress.State;
import io.hexbus.api.admin.EventProgress.SubscriptionProgress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Builds an admin's {@link EventProgress} from what a backend knows of an event: its recorded {@link Progress} while
 * it is on the queue, its dead letter, or only that it completed. Pure functions, so every transport answers alike.
 *
 * <p>The subscriptions reported are those the application has for the event's name (as the admin's processor
 * knows them) and those the record names, the application's first, each once.
 */
public final class ProgressReport {

    private ProgressReport() {
    }

    /**
     * An event still on the queue: waiting, running, or waiting for a retry.
     *
     * @param eventId       the event id
     * @param eventName     the event name
     * @param progress      its recorded progress ({@link Progress#NONE} before its first round)
     * @param subscriptions the application's subscriptions of the name; for a dead letter's retry, only those it
     *                      runs
     * @return each subscription's state: done, dead, waiting for its due time, or waiting
     */
    public static EventProgress onQueue(UUID eventId, String eventName, Progress progress,
                                        Collection<String> subscriptions) {
        Set<String> names = new LinkedHashSet<>(subscriptions);
        names.addAll(progress.done());
        names.addAll(progress.dead());
        names.addAll(progress.attempts().keySet());
        List<SubscriptionProgress> states = new ArrayList<>(names.size());
        for (String name : names) {
            int attempts = progress.attempts(name);
            Optional<String> error = attempts > 0 ? errorOf(progress.lastError(), name) : Optional.empty();
            if (progress.isDone(name)) {
                states.add(new SubscriptionProgress(name, State.DONE, attempts, Optional.empty(), Optional.empty()));
            } else if (progress.isDead(name)) {
                states.add(new SubscriptionProgress(name, State.DEAD, attempts, Optional.empty(), error));
            } else if (progress.dueAt(name) > 0) {
                states.add(new SubscriptionProgress(name, State.RETRY_SCHEDULED, attempts,
                        Optional.of(Instant.ofEpochMilli(progress.dueAt(name))), error));
            } else {
                states.add(new SubscriptionProgress(name, State.WAITING, attempts, Optional.empty(), error));
            }
        }
        return new EventProgress(eventId, eventName, states);
    }

    /**
     * The recorded error is the event's last one, whichever subscription failed: it is this subscription's only when
     * it names it, as {@link RoundDecision} writes it.
     */
    private static Optional<String> errorOf(String lastError, String subscription) {
        return lastError.startsWith("subscription '" + subscription + "': ") ? Optional.of(lastError) : Optional.empty();
    }

    /**
     * An event in the dead-letter queue: its failed subscriptions are dead, the application's others done.
     *
     * @param deadLetter    its dead letter
     * @param subscriptions the application's subscriptions of its name
     * @return each subscription's state
     */
    public static EventProgress deadLettered(DeadLetter deadLetter, Collection<String> subscriptions) {
        Set<String> names = new LinkedHashSet<>(subscriptions);
        names.addAll(deadLetter.failedSubscriptions());
        List<SubscriptionProgress> states = new ArrayList<>(names.size());
        for (String name : names) {
            states.add(deadLetter.failedSubscriptions().contains(name)
                    ? new SubscriptionProgress(name, State.DEAD, deadLetter.attempts(), Optional.empty(),
                    Optional.of(deadLetter.lastError()))
                    : new SubscriptionProgress(name, State.DONE, 0, Optional.empty(), Optional.empty()));
        }
        return new EventProgress(deadLetter.eventId(), deadLetter.eventName(), states);
    }

    /**
     * An event every subscription finished with.
     *
     * @param eventId       the event id
     * @param eventName     the event name
     * @param subscriptions the application's subscriptions of the name
     * @return each subscription done
     */
    public static EventProgress completed(UUID eventId, String eventName, Collection<String> subscriptions) {
        return new EventProgress(eventId, eventName, subscriptions.stream().distinct()
                .map(name -> new SubscriptionProgress(name, State.DONE, 0, Optional.empty(), Optional.empty()))
                .toList());
    }
}
