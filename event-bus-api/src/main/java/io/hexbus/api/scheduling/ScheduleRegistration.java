package io.hexbus.api.scheduling;

/**
 * The handle of one registration with {@link RecurringEvents}. Thread-safe.
 */
public interface ScheduleRegistration {

    /**
     * @return the schedule name this registration added
     */
    String name();

    /**
     * Removes the schedule: no tick is published after this call returns, except one whose publication had
     * already started. Idempotent.
     *
     * @return true if this call removed it, false if it was already removed
     */
    boolean remove();
}
