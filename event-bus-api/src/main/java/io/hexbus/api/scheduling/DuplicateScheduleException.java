package io.hexbus.api.scheduling;

/**
 * A second registration under a schedule name that is already taken. The name is part of every tick's event
 * id, so two schedules may never share one.
 */
public class DuplicateScheduleException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the name, and what already holds it
     */
    public DuplicateScheduleException(String message) {
        super(message);
    }
}
