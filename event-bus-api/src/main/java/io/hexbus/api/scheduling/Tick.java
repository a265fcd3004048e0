package io.hexbus.api.scheduling;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One firing of a schedule: the schedule's name, the tick's time, and the event id its event must carry.
 *
 * @param schedule the schedule name
 * @param at       the tick's time, as the schedule defines it (never the time it actually fired)
 * @param eventId  the id the tick's event must have: {@link TickIds#of(String, Instant)} of the two above
 */
public record Tick(String schedule, Instant at, UUID eventId) {

    /**
     * Checks the components.
     *
     * @param schedule see the record
     * @param at see the record
     * @param eventId see the record
     * @throws NullPointerException if any component is null
     */
    public Tick {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(eventId, "eventId");
    }

    /**
     * The tick of a schedule at a time, with its derived event id.
     *
     * @param schedule the schedule name
     * @param at       the tick's time
     * @return the tick
     */
    public static Tick of(String schedule, Instant at) {
        return new Tick(schedule, at, TickIds.of(schedule, at));
    }
}
