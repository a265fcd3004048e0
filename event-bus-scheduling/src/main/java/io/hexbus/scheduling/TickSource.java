package io.hexbus.scheduling;

import io.hexbus.api.scheduling.Schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * The ticks of one schedule, as points in time. Pure and thread-safe.
 */
public interface TickSource {

    /**
     * @param instant a time
     * @return the first tick strictly after it; empty if the schedule never fires again
     */
    Optional<Instant> nextAfter(Instant instant);

    /**
     * @param instant a time
     * @return the latest tick at or before it; empty if the schedule never fired before it
     */
    Optional<Instant> latestAtOrBefore(Instant instant);

    /**
     * The ticks of a schedule: cron expressions are parsed here.
     *
     * @param schedule the schedule
     * @return its ticks
     * @throws IllegalArgumentException if a cron expression does not parse, naming it and why
     */
    static TickSource of(Schedule schedule) {
        if (schedule instanceof Schedule.Cron cron) {
            return CronTicks.parse(cron);
        }
        return new FixedRateTicks(((Schedule.FixedRate) schedule).period());
    }
}
