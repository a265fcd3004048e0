package io.hexbus.scheduling;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.scheduling.DuplicateScheduleException;
import io.hexbus.api.scheduling.MissedTicks;
import io.hexbus.api.scheduling.RecurringEvents;
import io.hexbus.api.scheduling.Schedule;
import io.hexbus.api.scheduling.ScheduleRegistration;
import io.hexbus.api.scheduling.ScheduleStatus;
import io.hexbus.api.scheduling.Tick;
import io.hexbus.api.transport.TransportUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Publishes the ticks of registered schedules through an {@link EventBus}: the {@link RecurringEvents} port's
 * implementation.
 *
 * <p>Modules register at init; {@link #start()} then runs one daemon thread that publishes each tick when it is
 * due, with the event id the tick derives ({@link io.hexbus.api.scheduling.TickIds}), so that any number of
 * instances publish each tick once as far as the bus is concerned. At start (and on a registration after it) a
 * schedule's missed tick follows its {@link MissedTicks} policy, within {@link SchedulerSettings#catchUpBound()}.
 * While running, ticks that came due together (a pause, a clock jump) fire once, as the latest.
 *
 * <p><b>Failures.</b> A publish the transport could not accept ({@link EventPublishingException},
 * {@link TransportUnavailableException}) is retried with backoff until it succeeds or the next tick is due; then
 * the tick is counted missed and logged. A factory that throws, or builds an event whose id is not the tick's,
 * gives the tick up at once, logged as an error: a retry would do the same. A synchronous bus whose handlers
 * failed ({@link EventHandlingException}) did publish: the tick counts as published and the failure is shown as
 * its last error. Logs name the schedule, the tick and the outcome, never the payload.
 *
 * <p><b>Threads.</b> Thread-safe: registering, removing and listing may happen from any thread, before or after
 * {@link #start()}. Ticks are published one at a time on the scheduling thread, so a slow publish delays the other
 * schedules; on a synchronous bus the handlers run on that thread too.
 */
public final class Scheduler implements RecurringEvents, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final EventBus eventBus;
    private final Clock clock;
    private final SchedulerSettings settings;
    private final Map<String, ScheduleEntry> entries = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private ScheduledThreadPoolExecutor executor;
    private boolean closed;
    // Touched on the scheduling thread only.
    private ScheduledFuture<?> nextRound;

    /**
     * @param eventBus where ticks are published
     * @param clock    the time ticks are computed from
     * @param settings catch-up bound, retries, close timeout
     */
    public Scheduler(EventBus eventBus, Clock clock, SchedulerSettings settings) {
        this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the scheduler was closed
     */
    @Override
    public ScheduleRegistration register(String name, Schedule schedule, MissedTicks missedTicks,
                                         Function<Tick, ? extends DomainEvent> event) {
        RecurringEvents.requireValidName(name);
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(missedTicks, "missedTicks");
        Objects.requireNonNull(event, "event");
        TickSource ticks = TickSource.of(schedule);
        Instant now = clock.instant();
        Instant next = ticks.nextAfter(now).orElseThrow(() -> new IllegalArgumentException("schedule '" + name
                + "' (" + schedule.description() + " in " + schedule.zone() + ") never fires after " + now));
        ScheduleEntry entry = new ScheduleEntry(name, schedule, missedTicks, event, ticks, next, eventBus, clock,
                settings);
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("scheduler is closed: cannot register schedule '" + name + "'");
            }
            if (executor != null) {
                // Running already: the missed-tick policy applies now, before the entry is visible to the thread.
                entry.begin(now);
            }
            ScheduleEntry existing = entries.putIfAbsent(name, entry);
            if (existing != null) {
                throw new DuplicateScheduleException("schedule name '" + name + "' is already registered ("
                        + existing.schedule.description() + "); each recurring event needs its own name");
            }
            wakeUp();
        }
        log.info("Registered schedule {} ({} in {}, missed ticks: {})", name, schedule.description(),
                schedule.zone(), missedTicks);
        return new Handle(entry);
    }

    @Override
    public List<ScheduleStatus> schedules() {
        return entries.values().stream().sorted(Comparator.comparing(e -> e.name)).map(ScheduleEntry::status).toList();
    }

    /**
     * Starts the scheduling thread. Idempotent.
     *
     * @throws IllegalStateException if the scheduler was closed
     */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("scheduler is closed");
            }
            if (executor != null) {
                return;
            }
            executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "hexbus-scheduler");
                thread.setDaemon(true);
                return thread;
            });
            // close() must not wait for the next round's delay.
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            executor.setRemoveOnCancelPolicy(true);
            // Each schedule's start (its missed tick, its next due) is taken here, so that it is the time start()
            // was called; the thread sees it through execute's happens-before.
            Instant now = clock.instant();
            entries.values().forEach(entry -> entry.begin(now));
            executor.execute(this::round);
        }
        log.info("Scheduler started with {} schedule(s)", entries.size());
    }

    /**
     * Stops the scheduling thread: no tick starts after this call; a publish in progress gets
     * {@link SchedulerSettings#closeTimeout()} to finish, then is interrupted. Close it before the transport.
     * Idempotent.
     */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor toStop;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = executor;
        }
        if (toStop == null) {
            return;
        }
        toStop.shutdown();
        try {
            if (!toStop.awaitTermination(settings.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Scheduler: a publish did not finish within {}; interrupting it", settings.closeTimeout());
                toStop.shutdownNow();
            }
        } catch (InterruptedException e) {
            toStop.shutdownNow();
            Thread.currentThread().interrupt();
        }
        log.info("Scheduler stopped");
    }

    // Runs a round now instead of at its planned time, so a new registration is seen at once. Under lifecycle.
    private void wakeUp() {
        if (executor != null && !closed) {
            executor.execute(() -> {
                if (nextRound != null && nextRound.cancel(false)) {
                    round();
                }
            });
        }
    }

    // One round on the scheduling thread: every schedule that has something due does it, then the next round is
    // planned for the earliest due time, at most idleWake away.
    private void round() {
        Instant wake = clock.instant().plus(settings.idleWake());
        try {
            for (ScheduleEntry entry : entries.values()) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                try {
                    Instant entryWake = entry.advance(clock.instant());
                    if (entryWake.isBefore(wake)) {
                        wake = entryWake;
                    }
                } catch (RuntimeException e) {
                    log.error("Schedule {}: unexpected failure; its ticks go on", entry.name, e);
                }
            }
        } finally {
            planNextRound(wake);
        }
    }

    private void planNextRound(Instant wake) {
        synchronized (lifecycle) {
            if (closed || executor.isShutdown()) {
                return;
            }
            long delay = Math.max(0, Duration.between(clock.instant(), wake).toMillis());
            nextRound = executor.schedule(this::round, Math.min(delay, settings.idleWake().toMillis()),
                    TimeUnit.MILLISECONDS);
        }
    }

    private final class Handle implements ScheduleRegistration {

        private final ScheduleEntry entry;

        Handle(ScheduleEntry entry) {
            this.entry = entry;
        }

        @Override
        public String name() {
            return entry.name;
        }

        @Override
        public boolean remove() {
            entry.removed = true;
            boolean removed = entries.remove(entry.name, entry);
            if (removed) {
                log.info("Removed schedule {}", entry.name);
            }
            return removed;
        }
    }
}
