package io.hexbus.scheduling;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventHandlingException;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.api.scheduling.MissedTicks;
import io.hexbus.api.scheduling.Schedule;
import io.hexbus.api.scheduling.ScheduleStatus;
import io.hexbus.api.scheduling.Tick;
import io.hexbus.api.transport.TransportUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * One registered schedule of a {@link Scheduler} and its progress: which tick is pending, when it is retried, what
 * was published last. {@link #begin} and {@link #advance} run on the scheduling thread (or under the scheduler's
 * lock before the thread sees the entry); the progress fields belong to it. {@link #status()} and removal may be
 * called from any thread. Logs under {@link Scheduler}'s name, as one component.
 */
final class ScheduleEntry {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    final String name;
    final Schedule schedule;
    private final MissedTicks policy;
    private final Function<Tick, ? extends DomainEvent> factory;
    private final TickSource ticks;
    private final EventBus eventBus;
    private final Clock clock;
    private final SchedulerSettings settings;

    // Progress: the scheduling thread's.
    private boolean started;
    private Instant nextDue;
    private Instant pending;
    private Instant retryAt;
    private int failures;

    // Read by status() from any thread; removed is set by the registration's handle.
    volatile boolean removed;
    private volatile Instant nextRun;
    private volatile ScheduleStatus.LastTick lastTick;
    private volatile String lastError;
    private volatile long missed;

    ScheduleEntry(String name, Schedule schedule, MissedTicks policy, Function<Tick, ? extends DomainEvent> factory,
                  TickSource ticks, Instant nextRun, EventBus eventBus, Clock clock, SchedulerSettings settings) {
        this.eventBus = eventBus;
        this.clock = clock;
        this.settings = settings;
        this.name = name;
        this.schedule = schedule;
        this.policy = policy;
        this.factory = factory;
        this.ticks = ticks;
        this.nextRun = nextRun;
    }

    // The schedule's start: the tick its missed-tick policy fires, and the next one due. Before the thread sees
    // the entry (start(), or a registration while running), or on it.
    void begin(Instant now) {
        started = true;
        pending = TickPlan.atStart(ticks, now, policy, settings.catchUpBound()).orElse(null);
        nextDue = ticks.nextAfter(now).orElse(Instant.MAX);
        nextRun = pending != null ? pending : nextDue;
        if (pending != null) {
            log.info("Schedule {}: firing tick {} missed before start ({})", name, pending, policy);
        }
    }

    // Does what is due at now; returns when this schedule next needs the thread.
    Instant advance(Instant now) {
        if (removed) {
            return Instant.MAX;
        }
        if (!started) {
            begin(now);
        } else if (pending != null && !nextDue.isAfter(now)) {
            // Still failing when the next tick came: that tick takes over.
            giveUp("the next tick came due while it was being retried", null);
        }
        if (pending == null) {
            Optional<Instant> due = TickPlan.due(ticks, nextDue, now);
            if (due.isPresent()) {
                pending = due.get();
                nextDue = ticks.nextAfter(pending).orElse(Instant.MAX);
            }
        }
        if (pending != null && (retryAt == null || !retryAt.isAfter(now))) {
            fire(now);
        }
        nextRun = pending != null ? pending : nextDue;
        return pending != null ? retryAt : nextDue;
    }

    private void fire(Instant now) {
        Tick tick = Tick.of(name, pending);
        DomainEvent event;
        try {
            event = factory.apply(tick);
        } catch (RuntimeException e) {
            log.error("Schedule {}: the event factory failed for tick {}; the tick is given up", name,
                    tick.at(), e);
            giveUp("event factory failed: " + describe(e), e);
            return;
        }
        if (event == null || !tick.eventId().equals(event.eventId())) {
            log.error("Schedule {}: the event factory returned {} for tick {}, whose id must be {}; the tick is"
                            + " given up: an event with another id would be published once per instance",
                    name, event == null ? "null" : "an event with id " + event.eventId(), tick.at(),
                    tick.eventId());
            giveUp("event factory returned " + (event == null ? "null" : "event id " + event.eventId())
                    + ", not the tick's id " + tick.eventId(), null);
            return;
        }
        try {
            PublishOutcome outcome = eventBus.publish(event);
            published(tick, outcome, null);
        } catch (EventHandlingException e) {
            published(tick, PublishOutcome.PUBLISHED, describe(e));
        } catch (EventPublishingException | TransportUnavailableException e) {
            failures++;
            lastError = describe(e);
            retryAt = TickPlan.retryAt(clock.instant(), failures, nextDue, settings.retryInitialBackoff(),
                    settings.retryMaxBackoff()).orElse(null);
            if (retryAt == null) {
                giveUp("publish failed " + failures + " time(s), the last: " + lastError, e);
            } else {
                log.warn("Schedule {}: publishing tick {} failed ({} time(s)); retrying at {}: {}", name,
                        tick.at(), failures, retryAt, lastError);
            }
        } catch (RuntimeException e) {
            log.error("Schedule {}: tick {} was refused by the bus; the tick is given up", name, tick.at(), e);
            giveUp("publish refused: " + describe(e), e);
        }
    }

    private void published(Tick tick, PublishOutcome outcome, String error) {
        lastTick = new ScheduleStatus.LastTick(tick.at(), tick.eventId(), outcome, clock.instant());
        lastError = error;
        pending = null;
        retryAt = null;
        failures = 0;
        if (outcome == PublishOutcome.PUBLISHED) {
            log.info("Schedule {}: tick {} published (event {})", name, tick.at(), tick.eventId());
        } else {
            log.debug("Schedule {}: tick {} was a duplicate (event {}): another instance published it", name,
                    tick.at(), tick.eventId());
        }
        if (error != null) {
            log.warn("Schedule {}: tick {} published, but handlers failed: {}", name, tick.at(), error);
        }
    }

    private void giveUp(String why, RuntimeException cause) {
        missed++;
        lastError = why;
        log.warn("Schedule {}: tick {} missed: {}", name, pending, why, cause);
        pending = null;
        retryAt = null;
        failures = 0;
    }

    private static String describe(RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    ScheduleStatus status() {
        return new ScheduleStatus(name, schedule, policy, nextRun, Optional.ofNullable(lastTick), missed,
                Optional.ofNullable(lastError));
    }
}
