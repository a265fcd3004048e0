package io.hexbus.adapters.guice;

import io.hexbus.scheduling.Scheduler;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The application's recurring events: registers every {@link ScheduleRegistrar} with the one {@link Scheduler},
 * once. The app starts the scheduler only when it keeps running (it serves or consumes), and closes it first at
 * shutdown, before the transport it publishes to.
 */
@Singleton
public final class RecurringEventsRegistry {

    private final Set<ScheduleRegistrar> registrars;
    private final Scheduler scheduler;
    private boolean registered;

    /**
     * @param registrars what the feature modules contribute
     * @param scheduler  the scheduler they register with
     */
    @Inject
    public RecurringEventsRegistry(Set<ScheduleRegistrar> registrars, Scheduler scheduler) {
        this.registrars = Set.copyOf(Objects.requireNonNull(registrars, "registrars"));
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Registers every contributed schedule. Idempotent.
     *
     * @return the number of schedules registered by this call
     * @throws io.hexbus.api.scheduling.DuplicateScheduleException if two registrars use one name
     */
    public synchronized int registerAll() {
        if (registered) {
            return 0;
        }
        registered = true;
        return registrars.stream().map(registrar -> registrar.register(scheduler)).mapToInt(List::size).sum();
    }

    /** @return the scheduler */
    public Scheduler scheduler() {
        return scheduler;
    }
}
