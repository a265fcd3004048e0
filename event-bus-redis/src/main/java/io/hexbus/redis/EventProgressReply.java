package io.hexbus.redis;

import io.hexbus.api.admin.DeadLetter;
import io.hexbus.api.admin.EventProgress;
import io.hexbus.api.admin.EventProgress.State;
import io.hexbus.api.admin.EventProgress.SubscriptionProgress;
import io.hexbus.engine.ProgressReport;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads what {@code event-progress-7.lua} answers into an {@link EventProgress}, through {@link ProgressReport} so
 * that every transport reports alike; a delayed event not yet due waits with its due time as the next attempt. Pure
 * functions.
 */
final class EventProgressReply {

    private EventProgressReply() {
    }

    /**
     * @param eventId         the event asked for
     * @param reply           the script's answer
     * @param subscriptionsOf the application's subscriptions of an event name
     * @return its progress, or empty when the group holds no record of it
     * @throws IllegalStateException if the answer is not one the script gives
     */
    static Optional<EventProgress> read(UUID eventId, List<Object> reply,
                                        Function<String, List<String>> subscriptionsOf) {
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        String state = text(reply, 0);
        String name = text(reply, 1);
        return Optional.of(switch (state) {
            case "dead" -> ProgressReport.deadLettered(new DeadLetter(eventId, name, lines(text(reply, 2)),
                    Integer.parseInt(text(reply, 3)), text(reply, 4), millis(text(reply, 5)), millis(text(reply, 6)),
                    ""), subscriptionsOf.apply(name));
            case "scheduled" -> delayed(eventId, name, millis(text(reply, 2)), subscriptionsOf.apply(name));
            case "queued" -> queued(eventId, name, reply, subscriptionsOf);
            case "done" -> ProgressReport.completed(eventId, name, subscriptionsOf.apply(name));
            default -> throw new IllegalStateException("event-progress-7.lua answered '" + state + "'");
        });
    }

    /**
     * A delayed event not yet due: every subscription waits, with the event's due time as its next attempt, since
     * none can run before it.
     */
    private static EventProgress delayed(UUID eventId, String name, Instant dueAt, List<String> subscriptions) {
        return new EventProgress(eventId, name, subscriptions.stream().distinct()
                .map(subscription -> new SubscriptionProgress(subscription, State.WAITING, 0, Optional.of(dueAt),
                        Optional.empty()))
                .toList());
    }

    /**
     * An entry on the queue. A retry whose due time has passed is no longer scheduled: a worker runs it or is about
     * to, so its due time is left out and the subscription reads as waiting.
     */
    @SuppressWarnings("unchecked")
    private static EventProgress queued(UUID eventId, String name, List<Object> reply,
                                        Function<String, List<String>> subscriptionsOf) {
        List<String> only = lines(text(reply, 2));
        List<Object> flat = (List<Object>) reply.get(3);
        long now = ((Number) reply.get(4)).longValue();
        Map<String, String> hash = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            String field = String.valueOf(flat.get(i));
            String value = String.valueOf(flat.get(i + 1));
            if (!(field.startsWith(ProgressHash.DUE) && Long.parseLong(value) <= now)) {
                hash.put(field, value);
            }
        }
        return ProgressReport.onQueue(eventId, name, ProgressHash.read(hash),
                only.isEmpty() ? subscriptionsOf.apply(name) : only);
    }

    private static String text(List<Object> reply, int index) {
        return String.valueOf(reply.get(index));
    }

    private static List<String> lines(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split("\n"));
    }

    private static Instant millis(String value) {
        return Instant.ofEpochMilli(Long.parseLong(value));
    }
}
