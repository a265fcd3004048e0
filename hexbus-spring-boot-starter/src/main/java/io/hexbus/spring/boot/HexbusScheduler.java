package io.hexbus.spring.boot;

import io.hexbus.scheduling.Scheduler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import java.util.Objects;

/**
 * The {@link Scheduler} of recurring events in the context's lifecycle: at start, every {@link HexbusSchedules} bean
 * registers its schedules, then the scheduler starts (one daemon thread), after the queue workers; at stop it closes
 * first, before the workers and the transport (a publish in progress gets the scheduler's close timeout, 5 s). A
 * closed scheduler does not start again: a context is started once. Thread-safe.
 */
public final class HexbusScheduler implements SmartLifecycle {

    /** After {@link HexbusWorkers#PHASE}: the scheduler starts after the workers and stops before them. */
    public static final int PHASE = HexbusWorkers.PHASE + 1;

    private final Scheduler scheduler;
    private final ObjectProvider<HexbusSchedules> schedules;
    private final Object lifecycle = new Object();
    private boolean registered;
    private boolean running;

    /**
     * @param scheduler the scheduler, publishing to the transport's bus
     * @param schedules what the application registers
     */
    public HexbusScheduler(Scheduler scheduler, ObjectProvider<HexbusSchedules> schedules) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.schedules = Objects.requireNonNull(schedules, "schedules");
    }

    /**
     * Registers the {@link HexbusSchedules} (once) and starts the scheduler.
     *
     * @throws IllegalStateException                                if the scheduler was closed
     * @throws io.hexbus.api.scheduling.DuplicateScheduleException if two schedules share a name
     */
    @Override
    public void start() {
        synchronized (lifecycle) {
            if (running) {
                return;
            }
            if (!registered) {
                registered = true;
                schedules.orderedStream().forEach(contribution -> contribution.register(scheduler));
            }
            scheduler.start();
            running = true;
        }
    }

    /** Closes the scheduler: no tick starts after this call. */
    @Override
    public void stop() {
        synchronized (lifecycle) {
            scheduler.close();
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (lifecycle) {
            return running;
        }
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
