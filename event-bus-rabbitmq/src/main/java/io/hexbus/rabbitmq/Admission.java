package io.hexbus.rabbitmq;

import io.hexbus.engine.Progress;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What a worker does with a message it read, before the ledger is asked: dead-letter it at once (its hexbus headers
 * are not a round's), write it to the next retry tier (it has wait left), hand it to the engine as a poison message
 * (past its queue's delivery limit), or go on with it. Pure: decided from the message, its queue and the worker's
 * clock, which only turns the progress's delays into due times for the engine.
 */
sealed interface Admission {

    /**
     * Dead-lettered at once.
     *
     * @param reason why, for the dead letter
     */
    record Unreadable(String reason) implements Admission {
    }

    /**
     * Written to the next tier.
     *
     * @param progress   its progress, due times as delays from now
     * @param waitMillis the wait it has left
     */
    record Hop(String progress, long waitMillis) implements Admission {
    }

    /**
     * Past the delivery limit.
     *
     * @param progress its progress
     */
    record Poison(Progress progress) implements Admission {
    }

    /**
     * Due: for the ledger, then the engine.
     *
     * @param progress its progress, due times from {@code now}
     */
    record Ready(Progress progress) implements Admission {
    }

    /**
     * @param message what was read
     * @param source  the queue it was read from
     * @param now     the worker's clock, epoch ms
     * @return what to do with it
     */
    static Admission of(RabbitMessage message, Received.Source source, long now) {
        String bad = message.unreadable();
        if (bad != null) {
            return new Unreadable(bad);
        }
        long elapsed = 0;
        if (message.tier() != null) {
            RetryTier tier = RetryTier.byLabel(message.tier());
            if (tier == null) {
                return new Unreadable("header " + Wire.TIER + " names no retry tier: '" + message.tier() + "'");
            }
            elapsed = tier.waitMillis(); // what it spent in the tier, by the broker's TTL
        }
        Progress progress;
        try {
            progress = message.progress() == null ? Progress.NONE
                    : ProgressText.decode(message.progress(), now, elapsed);
        } catch (IllegalArgumentException e) {
            return new Unreadable("header " + Wire.PROGRESS + " cannot be read: " + e.getMessage());
        }
        if (source == Received.Source.POISON) {
            return new Poison(progress);
        }
        long left = message.waitMillis() - elapsed;
        if (message.tier() != null && left > 0) {
            return new Hop(ProgressText.encode(progress, now), left);
        }
        return new Ready(progress);
    }

    /**
     * @param progress a progress
     * @param now      the clock its due times are on
     * @return how long until its earliest due subscription is due, at least 0; 0 when none waits
     */
    static long earliestDelay(Progress progress, long now) {
        long earliest = Long.MAX_VALUE;
        for (var due : progress.dueAt().entrySet()) {
            if (!progress.isDone(due.getKey()) && !progress.isDead(due.getKey())) {
                earliest = Math.min(earliest, due.getValue() - now);
            }
        }
        return earliest == Long.MAX_VALUE ? 0 : Math.max(0, earliest);
    }

    /**
     * @param progress a progress
     * @param takeovers the takeovers it is to count
     * @return the same progress with that count
     */
    static Progress withTakeovers(Progress progress, int takeovers) {
        return new Progress(progress.done(), progress.dead(), progress.attempts(), progress.dueAt(),
                Math.max(takeovers, progress.takeovers()), progress.lastError());
    }

    /**
     * The id a message is dead-lettered under: its event id when it is one, else one derived from its own id or,
     * without that, its body, so that a copy of it lands on the same dead letter.
     *
     * @param eventId   its event id header, or null
     * @param messageId its own id, or null
     * @param body      its body
     * @return the id
     */
    static UUID uuidOr(String eventId, String messageId, byte[] body) {
        if (eventId != null) {
            try {
                return UUID.fromString(eventId.trim());
            } catch (IllegalArgumentException e) {
                // not an id: derived below
            }
        }
        byte[] seed = messageId != null ? messageId.getBytes(StandardCharsets.UTF_8) : body;
        return UUID.nameUUIDFromBytes(seed);
    }
}
