package io.hexbus.api.scheduling;

import io.hexbus.api.publishing.PublishOutcome;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One schedule as an instance sees it, for listings: what it is, when it fires next, and what its last tick did
 * here. Immutable. Another instance may have published a tick this one reported as a duplicate.
 *
 * @param name        the schedule name
 * @param schedule    the schedule
 * @param missedTicks its missed-tick policy
 * @param nextRun     the next tick this instance will fire: the one due (or being retried), else the next one
 * @param lastTick    the last tick this instance published, with its outcome; empty before the first
 * @param ticksMissed ticks this instance gave up on since it started (a publish that failed until the next tick
 *                    was due, or an event the factory built wrongly); ticks coalesced after a pause are not counted
 * @param lastError   the last failure, as exception class and message; empty when the last tick succeeded
 */
public record ScheduleStatus(String name, Schedule schedule, MissedTicks missedTicks, Instant nextRun,
                             Optional<LastTick> lastTick, long ticksMissed, Optional<String> lastError) {

    /**
     * Checks the components.
     *
     * @param name see the record
     * @param schedule see the record
     * @param missedTicks see the record
     * @param nextRun see the record
     * @param lastTick see the record
     * @param ticksMissed see the record
     * @param lastError see the record
     * @throws NullPointerException if a component is null
     */
    public ScheduleStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(missedTicks, "missedTicks");
        Objects.requireNonNull(nextRun, "nextRun");
        Objects.requireNonNull(lastTick, "lastTick");
        Objects.requireNonNull(lastError, "lastError");
    }

    /**
     * The last tick an instance published.
     *
     * @param at          the tick's time
     * @param eventId     its event id
     * @param outcome     {@link PublishOutcome#PUBLISHED}, or {@link PublishOutcome#DUPLICATE} when another
     *                    instance (or an earlier start) had published it
     * @param publishedAt when this instance's publish returned
     */
    public record LastTick(Instant at, UUID eventId, PublishOutcome outcome, Instant publishedAt) {

        /**
         * Checks the components.
         *
         * @param at see the record
         * @param eventId see the record
         * @param outcome see the record
         * @param publishedAt see the record
         * @throws NullPointerException if a component is null
         */
        public LastTick {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(publishedAt, "publishedAt");
        }
    }
}
