package io.hexbus.api.scheduling;

import io.hexbus.api.event.DomainEvent;

import java.util.List;
import java.util.function.Function;

/**
 * The port a module registers its recurring events with, at init: on each tick of a {@link Schedule} the
 * implementation builds an event with the given factory and publishes it through the application's
 * {@link io.hexbus.api.publishing.EventBus}.
 *
 * <pre>{@code
 * recurringEvents.register("invoicing.reminders", Schedule.cron("0 0 9 * * *", ZoneId.of("Europe/Paris")),
 *         tick -> new InvoiceRemindersDue(tick.eventId(), tick.at(), EventMetadata.EMPTY));
 * }</pre>
 *
 * <p><b>Once per tick, across instances.</b> Every application instance registers the same schedule and computes
 * the same ticks; a tick's event id is derived from the schedule name and the tick time ({@link TickIds}), so the
 * bus's own dedupe keeps one of the N publications. The factory <b>must</b> use {@link Tick#eventId()} as the
 * event's id: an event with another id is refused (logged as an error, never published), since it would be
 * delivered once per instance.
 *
 * <p><b>Names.</b> A schedule name is stable across restarts and deployments (it is part of every tick's id):
 * non-blank, at most {@link #MAX_NAME_LENGTH} characters, unique within the application. A second registration
 * under a taken name is refused with a {@link DuplicateScheduleException}.
 *
 * <p><b>Threads.</b> Implementations are thread-safe: registering, removing and listing may happen while
 * schedules fire. The factory runs on the implementation's scheduling thread and must be quick and side-effect
 * free (it may be called more than once for one tick, on retries and on every instance).
 */
public interface RecurringEvents {

    /** The longest schedule name accepted, as for subscription names. */
    int MAX_NAME_LENGTH = 200;

    /**
     * Registers a recurring event whose missed ticks follow {@link MissedTicks#FIRE_ONCE}.
     *
     * @param name     the stable schedule name
     * @param schedule when it fires
     * @param event    builds the tick's event; it must use {@link Tick#eventId()} as the event id
     * @return the handle that removes it
     * @throws DuplicateScheduleException if the name is taken
     * @throws IllegalArgumentException   if the name is blank or too long, or the schedule is invalid (a cron
     *                                    expression that does not parse or never fires, naming it and why)
     */
    default ScheduleRegistration register(String name, Schedule schedule,
                                          Function<Tick, ? extends DomainEvent> event) {
        return register(name, schedule, MissedTicks.FIRE_ONCE, event);
    }

    /**
     * Registers a recurring event.
     *
     * @param name        the stable schedule name
     * @param schedule    when it fires
     * @param missedTicks what happens at start to a tick missed while no instance ran
     * @param event       builds the tick's event; it must use {@link Tick#eventId()} as the event id
     * @return the handle that removes it
     * @throws DuplicateScheduleException if the name is taken
     * @throws IllegalArgumentException   if the name is blank or too long, or the schedule is invalid (a cron
     *                                    expression that does not parse or never fires, naming it and why)
     */
    ScheduleRegistration register(String name, Schedule schedule, MissedTicks missedTicks,
                                  Function<Tick, ? extends DomainEvent> event);

    /**
     * The registered schedules with their next run and last tick, as this instance sees them.
     *
     * @return one status per schedule, ordered by name
     */
    List<ScheduleStatus> schedules();

    /**
     * Checks a schedule name: non-blank and at most {@link #MAX_NAME_LENGTH} characters.
     *
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException if it is blank or too long
     * @throws NullPointerException     if it is null
     */
    static String requireValidName(String name) {
        if (name == null) {
            throw new NullPointerException("schedule name");
        }
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("invalid schedule name '" + name + "': it must be non-blank and at"
                    + " most " + MAX_NAME_LENGTH + " characters");
        }
        return name;
    }
}
